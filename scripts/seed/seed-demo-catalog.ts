import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { newId } from "../../src/platform/ids.ts";
import { products } from "../../src/schema.ts";
import { DEMO_CATALOG } from "./demo-catalog.ts";

/** Inserts the demo products whose sku is not there yet; returns how many were added. */
export async function seedDemoCatalog(url: string, authToken?: string, currency = "usd"): Promise<number> {
  const client = createClient({ url, authToken });
  const db = drizzle(client);
  const now = new Date().toISOString();
  try {
    const result = await db
      .insert(products)
      .values(
        DEMO_CATALOG.map((item) => ({
          id: newId("prd"),
          sku: item.sku,
          name: item.name,
          description: item.description,
          priceAmount: item.priceAmount,
          currency,
          category: item.category,
          initialStock: item.initialStock,
          // What the catalog shows until the product's inventory object first runs and mirrors itself.
          stockAvailable: item.initialStock,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
    return result.rowsAffected;
  } finally {
    client.close();
  }
}

/** True when the database holds no products at all (a fresh development database). */
export async function catalogIsEmpty(url: string, authToken?: string): Promise<boolean> {
  const client = createClient({ url, authToken });
  try {
    const { rows } = await client.execute("SELECT count(*) AS n FROM products");
    return Number(rows[0]?.n ?? 0) === 0;
  } finally {
    client.close();
  }
}
