/**
 * What migration 0009 refuses on a shop's migrated data: a second variant with an existing sku (in any case), a
 * second cart line for one variant, and category tree writes that would make a cycle, go deeper than five levels
 * or delete a category that still has products. Each test starts from a fresh legacy database migrated to the
 * latest schema, so one test's categories never stand in another's way.
 */
import { type LibsqlServer, startLibsqlServer } from "@edge-commerce/libsql-server";
import { type Client, createClient, type InArgs, type Value } from "@libsql/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLegacyDatabase, type LegacyData, migrateToLatest } from "../support/legacy-database.ts";

type Plain = Record<string, Value>;

const AT = "2026-01-01T00:00:00.000Z";

let server: LibsqlServer | undefined;
let client: Client;
let legacy: LegacyData;

beforeEach(async () => {
  server = await startLibsqlServer({ databasePath: ":memory:" });
  legacy = await createLegacyDatabase(server.url);
  await migrateToLatest(server.url);
  client = createClient({ url: server.url });
}, 60_000);

afterEach(async () => {
  client?.close();
  await server?.close();
});

async function select(sql: string, args: InArgs = []): Promise<Plain[]> {
  const { columns, rows } = await client.execute({ sql, args });
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
}

type Category = Plain & { id: string; path: string };

/** The categories the migration made, in the order of the old products' first use of each. */
async function migratedCategories(): Promise<Category[]> {
  const slugs = [
    ...new Set(legacy.products.flatMap((product) => (product.category === null ? [] : [product.category]))),
  ];
  const rows = await select("SELECT * FROM categories");
  return slugs.map((slug) => {
    const row = rows.find((candidate) => candidate.slug === slug);
    if (!row) throw new Error(`no category ${slug}`);
    return { ...row, id: String(row.id), path: String(row.path) };
  });
}

async function category(id: string): Promise<Plain | undefined> {
  return (await select("SELECT * FROM categories WHERE id = ?", [id]))[0];
}

function insertCategory(id: string, parentId: string) {
  return client.execute({
    sql: `INSERT INTO categories (id, slug, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    args: [id, id.replaceAll("_", "-"), id, parentId, AT, AT],
  });
}

function moveCategory(id: string, parentId: string) {
  return client.execute({ sql: "UPDATE categories SET parent_id = ? WHERE id = ?", args: [parentId, id] });
}

function swapCase(text: string): string {
  return [...text].map((char) => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase())).join("");
}

/** A product made after the upgrade, with one option whose values are the given ones (variants must pick one). */
async function productWithOption(id: string, values: string[]) {
  await client.batch([
    {
      sql: `INSERT INTO products (id, name, currency, created_at, updated_at) VALUES (?, 'Probe', 'usd', ?, ?)`,
      args: [id, AT, AT],
    },
    {
      sql: `INSERT INTO product_options (id, product_id, name, position, "values") VALUES (?, ?, 'Label', 0, ?)`,
      args: [`opt_${id}`, id, JSON.stringify(values)],
    },
  ]);
}

function insertVariant(id: string, productId: string, sku: string, optionValue: string) {
  return client.execute({
    sql: `INSERT INTO product_variants (id, product_id, sku, title, option_values, price_amount, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, 100, ?, ?)`,
    args: [id, productId, sku, optionValue, JSON.stringify([optionValue]), AT, AT],
  });
}

describe("migration 0009 keeps the old refusals", () => {
  it("refuses a variant whose sku is a migrated product's, in any case, on a product made since", async () => {
    const labels = legacy.products.flatMap((_, i) => [`Dup ${i}`, `New ${i}`]);
    await productWithOption("prd_probe", labels);
    for (const [i, product] of legacy.products.entries()) {
      expect(swapCase(product.sku)).not.toBe(product.sku);
      for (const sku of [product.sku, swapCase(product.sku)]) {
        await expect(insertVariant(`var_dup_${i}`, "prd_probe", sku, `Dup ${i}`)).rejects.toThrow(
          /UNIQUE constraint failed: index 'product_variants_sku_unique'/,
        );
      }
      // The same variant with a new sku is accepted: the sku, not the rest of the row, was refused.
      await insertVariant(`var_new_${i}`, "prd_probe", `${product.sku}-NEW`, `New ${i}`);
    }
    const skus = await select("SELECT lower(sku) AS sku FROM product_variants WHERE id LIKE 'var_dup_%'");
    expect(skus).toEqual([]);
  });

  it("refuses a second cart line for the variant a migrated line holds", async () => {
    for (const [i, line] of legacy.cartItems.entries()) {
      await expect(
        client.execute({
          sql: `INSERT INTO cart_items (id, cart_id, variant_id, quantity, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)`,
          args: [`cit_dup_${i}`, line.cart_id, line.product_id, AT, AT],
        }),
      ).rejects.toThrow(/UNIQUE constraint failed: cart_items\.cart_id, cart_items\.variant_id/);
    }
  });
});

describe("the category tree's triggers on migrated categories", () => {
  it("refuses to move a migrated category under itself or under its own child", async () => {
    for (const [i, root] of (await migratedCategories()).entries()) {
      const child = `cat_child_${i}`;
      await insertCategory(child, root.id);
      expect(await category(child)).toMatchObject({ path: `${root.path}${child}/`, depth: 2 });

      await expect(moveCategory(root.id, child)).rejects.toThrow(/category_cycle/);
      await expect(moveCategory(root.id, root.id)).rejects.toThrow(/category_cycle/);
      expect(await category(root.id)).toEqual(root);
    }
  });

  it("refuses a sixth level under a migrated category, by insert or by moving a migrated subtree", async () => {
    const [top, withChild, leaf] = await migratedCategories();
    if (!top || !withChild || !leaf) throw new Error("the legacy data needs three categories");
    let parent = top.id;
    for (const level of [2, 3, 4, 5]) {
      const id = `cat_level_${level}`;
      await insertCategory(id, parent);
      expect(await category(id)).toMatchObject({ depth: level });
      parent = id;
    }
    await expect(insertCategory("cat_level_6", parent)).rejects.toThrow(/category_too_deep/);
    expect(await category("cat_level_6")).toBeUndefined();

    // A migrated category with a child is two levels: under level 4 it would reach 6.
    await insertCategory("cat_under_moved", withChild.id);
    await expect(moveCategory(withChild.id, "cat_level_4")).rejects.toThrow(/category_too_deep/);
    expect(await category(withChild.id)).toEqual(withChild);

    // A migrated category alone fits under level 4, and its path and depth follow the move.
    await moveCategory(leaf.id, "cat_level_4");
    const level4 = await category("cat_level_4");
    expect(await category(leaf.id)).toMatchObject({
      parent_id: "cat_level_4",
      path: `${String(level4?.path)}${leaf.id}/`,
      depth: 5,
    });
  });

  it("refuses to delete a migrated category while a product is in it", async () => {
    const categories = await migratedCategories();
    expect(categories.length).toBeGreaterThan(0);
    for (const migrated of categories) {
      await expect(client.execute({ sql: "DELETE FROM categories WHERE id = ?", args: [migrated.id] })).rejects.toThrow(
        /category_not_empty/,
      );
      expect(await category(migrated.id)).toEqual(migrated);

      // Emptied, it can go: the products were what held it.
      await client.execute({ sql: "DELETE FROM product_categories WHERE category_id = ?", args: [migrated.id] });
      await client.execute({ sql: "DELETE FROM categories WHERE id = ?", args: [migrated.id] });
      expect(await category(migrated.id)).toBeUndefined();
    }
  });
});
