import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { products } from "../../../src/modules/catalog/tables";
import { createDb } from "../../../src/platform/db/client";

/**
 * A product row straight in the database (the object reads its initial stock
 * from there on first use, and mirrors back to it), and its ProductStock stub.
 */
export async function freshStock(initialStock: number) {
  const id = `prd_unit_${crypto.randomUUID().replace(/-/g, "")}`;
  const now = new Date().toISOString();
  await createDb({ url: inject("databaseUrl"), authToken: undefined })
    .insert(products)
    .values({
      id,
      sku: id,
      name: "Unit test product",
      priceAmount: 100,
      currency: "eur",
      initialStock,
      stockAvailable: initialStock,
      createdAt: now,
      updatedAt: now,
    });
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
