import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { products, productVariants } from "../../../src/modules/catalog/tables";
import { createDb } from "../../../src/platform/db/client";

/**
 * A product with one variant straight in the database (the variant's object reads its initial stock from there on
 * first use, and mirrors back to it), and the variant's ProductStock stub.
 */
export async function freshStock(initialStock: number) {
  const suffix = crypto.randomUUID().replace(/-/g, "");
  const productId = `prd_unit_${suffix}`;
  const id = `var_unit_${suffix}`;
  const now = new Date().toISOString();
  const db = createDb({ url: inject("databaseUrl"), authToken: undefined });
  await db.batch([
    db.insert(products).values({
      id: productId,
      name: "Unit test product",
      currency: "eur",
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(productVariants).values({
      id,
      productId,
      sku: id,
      title: "Default",
      optionValues: [],
      priceAmount: 100,
      initialStock,
      stockAvailable: initialStock,
      createdAt: now,
      updatedAt: now,
    }),
  ]);
  return { id, stub: env.PRODUCT_STOCK.getByName(id) };
}

type Row = Record<string, SqlStorageValue>;

/** The object's own tables, read inside it. */
export function internals(state: DurableObjectState) {
  const rows = (query: string, ...bindings: SqlStorageValue[]): Row[] =>
    state.storage.sql.exec<Row>(query, ...bindings).toArray();
  return {
    stock: () => rows("SELECT on_hand, reserved FROM stock")[0],
    reservations: () => rows("SELECT order_id, quantity FROM reservations ORDER BY order_id"),
    settled: (orderId: string) => rows("SELECT outcome, quantity FROM settled WHERE order_id = ?", orderId)[0],
    movements: () => rows("SELECT reason, on_hand_delta, reserved_delta, order_id FROM movements ORDER BY version"),
  };
}
