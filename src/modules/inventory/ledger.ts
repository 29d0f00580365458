/**
 * Ships a variant's stock movements and its current level from its Durable
 * Object to the database: the ledger rows are idempotent (by movement id) and
 * the mirror write is guarded by version, so a late or repeated flush never
 * overwrites newer numbers.
 */
import { and, eq, lt } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { productVariants } from "../catalog";
import { inventoryMovements, type MovementReason } from "./tables";

export interface Movement {
  id: string;
  version: number;
  reason: MovementReason;
  onHandDelta: number;
  reservedDelta: number;
  orderId: string | null;
  actorId: string | null;
  note: string | null;
  at: string;
}

const ROWS_PER_INSERT = 50;

export async function shipToDatabase(
  db: Database,
  variantId: string,
  movements: Movement[],
  level: { available: number; version: number },
): Promise<void> {
  const statements = [];
  for (let start = 0; start < movements.length; start += ROWS_PER_INSERT) {
    const rows = movements.slice(start, start + ROWS_PER_INSERT).map((movement) => ({ ...movement, variantId }));
    statements.push(db.insert(inventoryMovements).values(rows).onConflictDoNothing());
  }
  const mirror = db
    .update(productVariants)
    .set({ stockAvailable: level.available, stockVersion: level.version })
    .where(and(eq(productVariants.id, variantId), lt(productVariants.stockVersion, level.version)));
  await db.batch([mirror, ...statements]);
}

export async function initialStockOf(db: Database, variantId: string): Promise<number> {
  const [row] = await db
    .select({ initialStock: productVariants.initialStock })
    .from(productVariants)
    .where(eq(productVariants.id, variantId))
    .limit(1);
  return row?.initialStock ?? 0;
}
