import { spawn } from "node:child_process";
import { type LibsqlServer, startLibsqlServer } from "@edge-commerce/libsql-server";
import { afterAll, beforeAll } from "vitest";
import { migrateDatabase } from "../../../scripts/db/migrate-database.ts";

/** A libSQL server with a fresh, migrated database for the tests of one file. */
export function useMigratedServer(): { readonly url: string } {
  let server: LibsqlServer | undefined;
  beforeAll(async () => {
    server = await startLibsqlServer({ databasePath: ":memory:" });
    await migrateDatabase(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get url() {
      if (!server) throw new Error("the server starts in beforeAll");
      return server.url;
    },
  };
}

/**
 * Runs one of the project's scripts as a user would, optionally piping input;
 * asynchronously, since the database server lives in this process.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", script, ...args], { env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
    child.stdin.end(input);
  });
}
