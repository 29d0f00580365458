import { readFileSync } from "node:fs";
import { type LibsqlServer, startLibsqlServer } from "@edge-commerce/libsql-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MIGRATIONS_DIR } from "../../scripts/db/migrate-database.ts";
import { runScript } from "./support/scripts.ts";

const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, "utf8")) as {
  entries: { tag: string }[];
};

// Two runs of the script through npx and tsx: seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

let server: LibsqlServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe("npm run db:migrate", () => {
  it("says how many migrations it applied and which, then that the database is up to date", async () => {
    server = await startLibsqlServer({ databasePath: ":memory:" });
    const env = { DATABASE_URL: server.url };
    const host = new URL(server.url).host;
    const tags = journal.entries.map((entry) => entry.tag);
    expect(tags.length).toBeGreaterThan(1);

    const first = await runScript("scripts/db-migrate.ts", [], env);
    expect(first.status, first.output).toBe(0);
    expect(first.output.trim()).toBe(`Applied ${tags.length} migrations to ${host}: ${tags.join(", ")}.`);

    const second = await runScript("scripts/db-migrate.ts", [], env);
    expect(second.status, second.output).toBe(0);
    expect(second.output.trim()).toBe(`Database at ${host} is already up to date: no migration applied.`);
  });
});
