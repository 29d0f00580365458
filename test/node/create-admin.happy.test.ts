import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { runScript, useMigratedServer } from "./support/scripts.ts";

const server = useMigratedServer();

function createAdmin(args: string[], password: string) {
  return runScript("scripts/create-admin.ts", args, { DATABASE_URL: server.url }, `${password}\n`);
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
      "SELECT id, email, role, password_hash FROM users WHERE username = 'rootadmin'",
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

    // Refused means no account: only the one valid request made an admin.
    const client = createClient({ url: server.url });
    const { rows } = await client.execute(
      "SELECT email, username_key, role FROM users WHERE email IN ('a1@shop.test', 'a2@shop.test', 'a3@shop.test') OR username_key = 'other'",
    );
    expect(rows.map((row) => ({ ...row }))).toEqual([
      // The key is the name's confusable skeleton: "m" looks like "rn", "I" like "l".
      { email: "a3@shop.test", username_key: "adrnlnthree", role: "admin" },
    ]);
    client.close();
  }, 60_000);
});
