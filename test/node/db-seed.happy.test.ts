import { type Client, createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { DEMO_CATALOG, DEMO_CATEGORIES } from "../../scripts/seed/demo-catalog.ts";
import { runScript, useMigratedServer } from "./support/scripts.ts";

const server = useMigratedServer();

function seed(env: Record<string, string>) {
  return runScript("scripts/db-seed.ts", [], env);
}

const sum = (counts: number[]) => counts.reduce((total, count) => total + count, 0);

async function count(client: Client, sql: string, args: string[] = []): Promise<number> {
  const { rows } = await client.execute({ sql, args });
  return Number(rows[0]?.n);
}

/** The names of the products the full-text index finds for this FTS5 query. */
async function found(client: Client, match: string): Promise<string[]> {
  const { rows } = await client.execute({
    sql: "SELECT p.name FROM products_fts JOIN products AS p ON p.seq = products_fts.rowid WHERE products_fts MATCH ?",
    args: [match],
  });
  return rows.map((row) => String(row.name));
}

async function counts(client: Client) {
  return {
    products: await count(client, "SELECT count(*) AS n FROM products"),
    variants: await count(client, "SELECT count(*) AS n FROM product_variants"),
    options: await count(client, "SELECT count(*) AS n FROM product_options"),
    categories: await count(client, "SELECT count(*) AS n FROM categories"),
    links: await count(client, "SELECT count(*) AS n FROM product_categories"),
    zones: await count(client, "SELECT count(*) AS n FROM shipping_zones"),
    methods: await count(client, "SELECT count(*) AS n FROM shipping_methods"),
    taxRates: await count(client, "SELECT count(*) AS n FROM tax_rates"),
    codes: await count(client, "SELECT count(*) AS n FROM discount_codes WHERE code = 'WELCOME10'"),
  };
}

describe("npm run db:seed", () => {
  it("loads products with variants in a category tree, searchable by sku and option value; a second run adds nothing", async () => {
    const first = await seed({ DATABASE_URL: server.url });
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain(`${DEMO_CATALOG.length} products added`);

    const client = createClient({ url: server.url });
    const afterFirst = await counts(client);
    expect(afterFirst).toEqual({
      products: DEMO_CATALOG.length,
      variants: sum(DEMO_CATALOG.map((item) => item.variants.length)),
      options: sum(DEMO_CATALOG.map((item) => item.options.length)),
      categories: DEMO_CATEGORIES.length,
      links: sum(DEMO_CATALOG.map((item) => item.categories.length)),
      // Europe (Standard, Express) and United Kingdom (Standard), beside the migration's Rest of world.
      zones: 3,
      methods: 4,
      taxRates: 2,
      codes: 1,
    });
    expect(
      await count(
        client,
        "SELECT count(*) AS n FROM shipping_zone_countries JOIN shipping_zones AS zone ON zone.id = zone_id WHERE country = 'GB' AND zone.name = 'United Kingdom'",
      ),
    ).toBe(1);
    expect(afterFirst.categories).toBeGreaterThanOrEqual(6);
    // A product with options has several variants; one without has its default variant.
    expect(afterFirst.variants).toBeGreaterThan(afterFirst.products);
    expect(
      await count(
        client,
        "SELECT count(*) AS n FROM product_variants WHERE option_values = '[]' AND title = 'Default'",
      ),
    ).toBe(DEMO_CATALOG.filter((item) => item.options.length === 0).length);
    expect(await count(client, "SELECT count(*) AS n FROM product_variants WHERE title = 'M / White'")).toBe(1);

    // A child category sits under its parent (the triggers' path and depth), and a product in it is linked to it.
    const { rows: tree } = await client.execute(
      "SELECT child.depth, instr(child.path, parent.path) AS under FROM categories AS child JOIN categories AS parent ON parent.id = child.parent_id WHERE child.slug = 't-shirts' AND parent.slug = 'apparel'",
    );
    expect(tree).toHaveLength(1);
    expect(Number(tree[0]?.depth)).toBe(2);
    expect(Number(tree[0]?.under)).toBe(1);
    expect(
      await count(
        client,
        "SELECT count(*) AS n FROM product_categories JOIN categories ON categories.id = product_categories.category_id WHERE categories.slug = 't-shirts'",
      ),
    ).toBe(1);

    // Name (accent-insensitive), option value, and variant sku.
    expect(await found(client, "brulee")).toHaveLength(1);
    expect(await found(client, "white")).toEqual(["Tea Club T-shirt"]);
    expect(await found(client, '"TEA-DARJ-250"')).toEqual(["Darjeeling first flush"]);
    expect(await found(client, '"KIT-TORCH"')).toEqual(["Crème brûlée torch"]);

    const second = await seed({ DATABASE_URL: server.url });
    expect(second.status, second.output).toBe(0);
    expect(second.output).toContain("0 products added");
    expect(await counts(client)).toEqual(afterFirst);
    client.close();
  }, 60_000);

  it("refuses a remote database unless forced", async () => {
    const refused = await seed({ DATABASE_URL: "libsql://shop-production.turso.io" });
    expect(refused.status).toBe(1);
    expect(refused.output).toContain("refusing");
  }, 30_000);
});
