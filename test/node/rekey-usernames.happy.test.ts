import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { runScript, useMigratedServer } from "./support/scripts.ts";

const server = useMigratedServer();

/** A user row as the schema before the TR 39 keys wrote it: the key was the lower-cased NFKC username. */
function legacyUser(id: string, username: string, createdAt: string) {
  return {
    sql: `INSERT INTO users (id, email, username, username_key, password_hash, role, is_active, created_at, updated_at)
          VALUES (?, ?, ?, ?, '!', 'user', 1, ?, ?)`,
    args: [id, `${id}@shop.test`, username, username.toLowerCase(), createdAt, createdAt],
  };
}

describe("npm run db:migrate rewrites username keys in canonical form", () => {
  it("keys become skeletons; of two look-alikes the older keeps the name, the newer is renamed; a second run changes nothing", async () => {
    const client = createClient({ url: server.url });
    await client.batch(
      [
        legacyUser("usr_old", "B0b", "2024-01-01T00:00:00.000Z"),
        legacyUser("usr_new", "bob", "2025-01-01T00:00:00.000Z"),
        legacyUser("usr_cyr", "vі\u0441tor", "2024-06-01T00:00:00.000Z"),
        legacyUser("usr_ada", "Ada", "2024-03-01T00:00:00.000Z"),
      ],
      "write",
    );

    const first = await runScript("scripts/db-migrate.ts", [], { DATABASE_URL: server.url });
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain("Username keys rewritten in canonical form: 3");
    expect(first.output).toContain("Account usr_new: its username looked like an older account's; renamed unew");
    const keys = await client.execute("SELECT id, username, username_key FROM users ORDER BY id");
    expect(Object.fromEntries(keys.rows.map((row) => [row.id, [row.username, row.username_key]]))).toMatchObject({
      usr_ada: ["Ada", "ada"],
      usr_cyr: ["vі\u0441tor", "vlctor"],
      usr_new: ["unew", "unew"],
      usr_old: ["B0b", "bob"],
    });

    const second = await runScript("scripts/db-migrate.ts", [], { DATABASE_URL: server.url });
    expect(second.status).toBe(0);
    expect(second.output).not.toContain("rewritten");
    client.close();
  }, 60_000);
});
