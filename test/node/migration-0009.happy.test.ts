/**
 * Migration 0009 (variants, categories, images) on a shop's real data: a database at 0008 filled as the old app
 * wrote it, migrated to the latest schema, keeps every product, stock level, cart line, order and ledger row,
 * each now under the product's default variant (whose id is the product's), and search still finds everything.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type LibsqlServer, startLibsqlServer } from "@edge-commerce/libsql-server";
import { type Client, createClient, type InArgs, type Value } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../scripts/db/migrate-database.ts";
import {
  createLegacyDatabase,
  LEGACY_LAST_MIGRATION,
  type LegacyData,
  type LegacyProduct,
  migrateToLatest,
} from "../support/legacy-database.ts";

type Plain = Record<string, Value>;

async function select(client: Client, sql: string, args: InArgs = []): Promise<Plain[]> {
  const { columns, rows } = await client.execute({ sql, args });
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null])));
}

/** Every table of the database (schema and rows, FTS shadow tables included), comparable with toEqual. */
async function dumpDatabase(client: Client) {
  const schema = await select(
    client,
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'sqlite_sequence' ORDER BY type, name",
  );
  const tables: Record<string, string[]> = {};
  for (const { name } of schema.filter((entry) => entry.type === "table")) {
    const rows = await select(client, `SELECT * FROM "${String(name)}"`);
    tables[String(name)] = rows
      .map((row) =>
        JSON.stringify(row, (_key, value) =>
          value instanceof ArrayBuffer ? Buffer.from(value).toString("hex") : value,
        ),
      )
      .sort();
  }
  return { schema, tables };
}

/** The category name the migration derives from a slug: "loose-tea" → "Loose tea". */
function categoryName(slug: string): string {
  return slug.charAt(0).toUpperCase() + slug.slice(1).replaceAll("-", " ");
}

const byId = <T extends { id: Value }>(rows: T[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

/** The words FTS5's unicode61 tokenizer makes of ASCII text. */
function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether `query` (a phrase whose last word is a prefix, as `"…"*`) occurs in `text`. */
function phraseMatches(text: string, query: string[]): boolean {
  const words = tokens(text);
  return words.some((_word, start) =>
    query.every((term, i) => {
      const word = words[start + i];
      return word !== undefined && (i === query.length - 1 ? word.startsWith(term) : word === term);
    }),
  );
}

/** Which of the old products a search for `"query"*` should find: name, description or sku, as 0008 indexed them. */
function expectedMatches(products: LegacyProduct[], query: string): number[] {
  const phrase = tokens(query);
  return products
    .filter((product) => [product.name, product.description, product.sku].some((text) => phraseMatches(text, phrase)))
    .map((product) => product.seq)
    .sort((a, b) => a - b);
}

/**
 * Each row reduced to the columns its expected row has: the database is migrated to the latest version, and
 * columns that later migrations added (with their defaults) are not what this upgrade is judged on.
 */
function asBefore(rows: Plain[], expected: readonly object[]): Partial<Plain>[] {
  return rows.map((row, index) =>
    Object.fromEntries(Object.keys(expected[index] ?? row).map((column) => [column, row[column]])),
  );
}

describe("migration 0009 on a shop's data", () => {
  let server: LibsqlServer;
  let client: Client;
  let legacy: LegacyData;
  let before: { migrations: number; tables: string[]; products: Plain[]; productColumns: string[] };
  let firstRun: Awaited<ReturnType<typeof migrateToLatest>>;

  beforeAll(async () => {
    server = await startLibsqlServer({ databasePath: ":memory:" });
    legacy = await createLegacyDatabase(server.url);
    client = createClient({ url: server.url });
    before = {
      migrations: Number((await select(client, "SELECT count(*) AS n FROM __drizzle_migrations"))[0]?.n),
      tables: (await select(client, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((row) =>
        String(row.name),
      ),
      products: await select(client, "SELECT * FROM products ORDER BY seq"),
      productColumns: (await select(client, "SELECT name FROM pragma_table_info('products')")).map((row) =>
        String(row.name),
      ),
    };
    firstRun = await migrateToLatest(server.url);
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it("starts from a database at 0008 holding exactly what the helper describes", () => {
    expect(before.migrations).toBe(LEGACY_LAST_MIGRATION + 1);
    expect(before.tables).not.toContain("product_variants");
    expect(before.productColumns).toEqual(expect.arrayContaining(["sku", "price_amount", "category", "image_url"]));
    expect(before.products).toEqual([...legacy.products].sort((a, b) => a.seq - b.seq));
    expect(firstRun.renamed).toEqual([]);
  });

  it("keeps every product's own row: id, seq, name, description, currency, active, dates", async () => {
    const rows = await select(client, "SELECT * FROM products ORDER BY seq");
    expect(rows).toEqual(
      [...legacy.products]
        .sort((a, b) => a.seq - b.seq)
        .map((product) => ({
          seq: product.seq,
          id: product.id,
          name: product.name,
          description: product.description,
          currency: product.currency,
          is_active: product.is_active,
          created_at: product.created_at,
          updated_at: product.updated_at,
          deleted_at: product.deleted_at,
        })),
    );
  });

  it("gives each product exactly one default variant with the product's id, sku, price and stock", async () => {
    const rows = await select(client, "SELECT * FROM product_variants ORDER BY id");
    expect(rows.map((row) => ({ ...row, option_values: JSON.parse(String(row.option_values)) }))).toEqual(
      byId(legacy.products).map((product) => ({
        id: product.id,
        product_id: product.id,
        sku: product.sku,
        title: "Default",
        option_values: [],
        position: 0,
        price_amount: product.price_amount,
        compare_at_amount: null,
        weight_grams: null,
        is_active: 1,
        initial_stock: product.initial_stock,
        stock_available: product.stock_available,
        stock_version: product.stock_version,
        created_at: product.created_at,
        updated_at: product.updated_at,
        deleted_at: null,
      })),
    );
    const options = await select(client, "SELECT count(*) AS n FROM product_options");
    expect(options[0]?.n).toBe(0);
  });

  it("makes one root category per distinct old category, and files each product under its own", async () => {
    const categorized = legacy.products.filter((product) => product.category !== null);
    const slugs = [...new Set(categorized.map((product) => String(product.category)))].sort();
    const rows = await select(client, "SELECT * FROM categories ORDER BY slug");
    expect(rows).toEqual(
      slugs.map((slug) => {
        const since = categorized
          .filter((product) => product.category === slug)
          .map((product) => product.created_at)
          .sort()[0];
        return {
          id: expect.stringMatching(/^cat_[0-9a-f]{32}$/),
          slug,
          name: categoryName(slug),
          parent_id: null,
          position: 0,
          path: `/${String(rows.find((row) => row.slug === slug)?.id)}/`,
          depth: 1,
          created_at: since,
          updated_at: since,
        };
      }),
    );

    const links = await select(
      client,
      `SELECT pc.product_id, c.slug FROM product_categories AS pc JOIN categories AS c ON c.id = pc.category_id
       ORDER BY pc.product_id`,
    );
    expect(links).toEqual(byId(categorized).map((product) => ({ product_id: product.id, slug: product.category })));
    const orphans = await select(
      client,
      "SELECT count(*) AS n FROM product_categories WHERE category_id NOT IN (SELECT id FROM categories)",
    );
    expect(orphans[0]?.n).toBe(0);
  });

  it("turns each image URL into the product's first image", async () => {
    const rows = await select(client, "SELECT * FROM product_images ORDER BY product_id");
    expect(rows).toEqual(
      byId(legacy.products.filter((product) => product.image_url !== null)).map((product) => ({
        id: expect.stringMatching(/^img_[0-9a-f]{32}$/),
        product_id: product.id,
        variant_id: null,
        url: product.image_url,
        alt: product.name,
        position: 0,
      })),
    );
  });

  it("keeps carts and cart lines, each line now holding the product's default variant", async () => {
    const carts = byId(legacy.carts);
    expect(asBefore(await select(client, "SELECT * FROM carts ORDER BY id"), carts)).toEqual(carts);
    const lines = await select(client, "SELECT * FROM cart_items ORDER BY id");
    expect(lines).toEqual(
      byId(legacy.cartItems).map(({ product_id, ...line }) => ({ ...line, variant_id: product_id })),
    );
    const resolved = await select(
      client,
      `SELECT ci.id, v.product_id FROM cart_items AS ci JOIN product_variants AS v ON v.id = ci.variant_id ORDER BY ci.id`,
    );
    expect(resolved).toEqual(byId(legacy.cartItems).map((line) => ({ id: line.id, product_id: line.product_id })));
  });

  it("leaves wishlists and users as they were", async () => {
    const wishlist = await select(client, "SELECT * FROM wishlist_items ORDER BY user_id, product_id");
    expect(wishlist).toEqual(
      [...legacy.wishlistItems].sort(
        (a, b) => a.user_id.localeCompare(b.user_id) || a.product_id.localeCompare(b.product_id),
      ),
    );
    const users = await select(client, "SELECT * FROM users ORDER BY id");
    // username_key is rekeyed by every db:migrate (scripts/db/rekey-usernames.ts), not by 0009.
    expect(users.map(({ username_key: _key, ...user }) => user)).toEqual(
      byId(legacy.users).map(({ username_key: _key, ...user }) => user),
    );
  });

  it("keeps orders, their events and refunds unchanged", async () => {
    const orders = byId(legacy.orders);
    expect(asBefore(await select(client, "SELECT * FROM orders ORDER BY id"), orders)).toEqual(orders);
    expect(await select(client, "SELECT * FROM order_events ORDER BY id")).toEqual(byId(legacy.orderEvents));
    expect(await select(client, "SELECT * FROM refunds ORDER BY id")).toEqual(byId(legacy.refunds));
    const open = await select(client, "SELECT id, reservation_key FROM orders WHERE status = 'awaiting_payment'");
    expect(open).toEqual(
      legacy.orders
        .filter((order) => order.status === "awaiting_payment")
        .map((order) => ({ id: order.id, reservation_key: order.id })),
    );
  });

  it("gives every order line the product's default variant, titled Default, and keeps the rest", async () => {
    const expected = byId(legacy.orderItems).map((line) => ({
      ...line,
      variant_id: line.product_id,
      variant_title: "Default",
    }));
    expect(asBefore(await select(client, "SELECT * FROM order_items ORDER BY id"), expected)).toEqual(expected);
  });

  it("keeps the inventory ledger, now per variant, with the same sums as the mirrored stock", async () => {
    const rows = await select(client, "SELECT * FROM inventory_movements ORDER BY id");
    expect(rows).toEqual(
      byId(legacy.inventoryMovements).map(({ product_id, ...movement }) => ({ ...movement, variant_id: product_id })),
    );

    const sums = await select(
      client,
      `SELECT m.variant_id, sum(m.on_hand_delta) AS on_hand, sum(m.reserved_delta) AS reserved, max(m.version) AS version,
         v.stock_available, v.stock_version
       FROM inventory_movements AS m JOIN product_variants AS v ON v.id = m.variant_id
       GROUP BY m.variant_id ORDER BY m.variant_id`,
    );
    const expected = new Map<string, { on_hand: number; reserved: number; version: number }>();
    for (const movement of legacy.inventoryMovements) {
      const sum = expected.get(movement.product_id) ?? { on_hand: 0, reserved: 0, version: 0 };
      sum.on_hand += movement.on_hand_delta;
      sum.reserved += movement.reserved_delta;
      sum.version = Math.max(sum.version, movement.version);
      expected.set(movement.product_id, sum);
    }
    expect(sums).toEqual(
      [...expected]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([variantId, sum]) => {
          const product = legacy.products.find((candidate) => candidate.id === variantId);
          return {
            variant_id: variantId,
            ...sum,
            stock_available: product?.stock_available,
            stock_version: product?.stock_version,
          };
        }),
    );
    for (const row of sums) {
      expect(Number(row.on_hand) - Number(row.reserved)).toBe(row.stock_available);
      expect(row.version).toBe(row.stock_version);
    }
  });

  it("indexes every product for search under its seq", async () => {
    const rows = await select(client, "SELECT rowid AS seq FROM products_fts ORDER BY rowid");
    expect(rows.map((row) => row.seq)).toEqual(legacy.products.map((product) => product.seq).sort((a, b) => a - b));
  });

  it("finds products by every word of their name and description, and by their sku", async () => {
    const queries = new Set<string>(["espresso"]);
    for (const product of legacy.products) {
      for (const word of [...tokens(product.name), ...tokens(product.description)]) queries.add(word);
      queries.add(product.sku);
      queries.add(product.sku.toLowerCase());
    }
    for (const query of queries) {
      const rows = await select(
        client,
        "SELECT rowid AS seq FROM products_fts WHERE products_fts MATCH ? ORDER BY rowid",
        [`"${query.replaceAll('"', '""')}"*`],
      );
      expect({ query, found: rows.map((row) => row.seq) }).toEqual({
        query,
        found: expectedMatches(legacy.products, query),
      });
    }
    for (const product of legacy.products) {
      const rows = await select(client, "SELECT rowid AS seq FROM products_fts WHERE products_fts MATCH ?", [
        `"${product.sku}"*`,
      ]);
      expect(rows.map((row) => row.seq)).toContain(product.seq);
    }
  });

  it("applies nothing and changes nothing when the migrator runs again", async () => {
    const snapshot = await dumpDatabase(client);
    expect(snapshot.tables.product_variants).toHaveLength(legacy.products.length);
    expect(snapshot.tables.inventory_movements).toHaveLength(legacy.inventoryMovements.length);
    const secondRun = await migrateToLatest(server.url);
    expect(secondRun).toEqual({ rekeyed: 0, renamed: [], applied: [] });
    expect(await dumpDatabase(client)).toEqual(snapshot);
    const migrations = await select(client, "SELECT count(*) AS n FROM __drizzle_migrations");
    const journal = JSON.parse(await readFile(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8"));
    expect(migrations[0]?.n).toBe(journal.entries.length);
  });
});
