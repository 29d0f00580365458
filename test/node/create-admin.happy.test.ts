import { spawn } from "node:child_process";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/db/migrate-database.ts";
import { type LibsqlServer, startLibsqlServer } from "../../scripts/libsql-server/server.ts";

let server: LibsqlServer;

beforeAll(async () => {
  server = await startLibsqlServer({ databasePath: ":memory:" });
  await migrateDatabase(server.url);
});

afterAll(async () => {
  await server.close();
});

/** Runs the command as a user would, piping the password; asynchronously, since the server lives in this process. */
function createAdmin(args: string[], password: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/create-admin.ts", ...args], {
      env: { ...process.env, DATABASE_URL: server.url },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
    child.stdin.end(`${password}\n`);
  });
}

describe("npm run create-admin", () => {
  it("creates an admin from a piped password, hashed at OWASP parameters, and audits it", async () => {
    const result = await createAdmin(
      ["--email", "Root@Shop.test", "--username", "rootadmin", "--full-name", "Root"],
      "a long and unusual passphrase",
    );
    expect(result.output).toContain("created");
    expect(result.status).toBe(0);
    expect(result.output).not.toContain("a long and unusual passphrase");

    const client = createClient({ url: server.url });
    const { rows } = await client.execute(
      "SELECT id, email, role, password_hash FROM users WHERE username_key = 'rootadmin'",
    );
    expect(rows[0]).toMatchObject({ email: "root@shop.test", role: "admin" });
    expect(String(rows[0]?.password_hash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await client.execute({
      sql: "SELECT action FROM audit_events WHERE target_id = ?",
      args: [rows[0]?.id ?? null],
    });
    expect(audit.rows.map((row) => row.action)).toEqual(["user.registered"]);
    client.close();
  }, 30_000);

  it("refuses a common password, an invalid username and a duplicate account", async () => {
    expect((await createAdmin(["--email", "a1@shop.test", "--username", "adminone"], "password123")).status).toBe(1);
    expect(
      (await createAdmin(["--email", "a2@shop.test", "--username", "no spaces"], "a long and unusual passphrase"))
        .status,
    ).toBe(1);
    expect(
      (await createAdmin(["--email", "a3@shop.test", "--username", "adminthree"], "a long and unusual passphrase"))
        .status,
    ).toBe(0);
    const duplicate = await createAdmin(
      ["--email", "A3@shop.test", "--username", "other"],
      "a long and unusual passphrase",
    );
    expect(duplicate.status).toBe(1);
    expect(duplicate.output).toContain("already exists");
  }, 60_000);
});
