import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../scripts/seed/demo-catalog.ts";
import { runScript, useMigratedServer } from "./support/scripts.ts";

const server = useMigratedServer();

function seed(env: Record<string, string>) {
  return runScript("scripts/db-seed.ts", [], env);
}

describe("npm run db:seed", () => {
  it("loads a few dozen products across categories, searchable, and a second run adds nothing", async () => {
    const first = await seed({ DATABASE_URL: server.url });
    expect(first.status).toBe(0);
    expect(first.output).toContain(`${DEMO_CATALOG.length} products added`);
    const second = await seed({ DATABASE_URL: server.url });
    expect(second.output).toContain("0 products added");

    const client = createClient({ url: server.url });
    const { rows } = await client.execute("SELECT count(*) AS n, count(DISTINCT category) AS c FROM products");
    expect(Number(rows[0]?.n)).toBe(DEMO_CATALOG.length);
    expect(Number(rows[0]?.c)).toBeGreaterThanOrEqual(6);
    const search = await client.execute("SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH 'brulee'");
    expect(Number(search.rows[0]?.n)).toBe(1);
    client.close();
  }, 60_000);

  it("refuses a remote database unless forced", async () => {
    const refused = await seed({ DATABASE_URL: "libsql://shop-production.turso.io" });
    expect(refused.status).toBe(1);
    expect(refused.output).toContain("refusing");
  }, 30_000);
});
