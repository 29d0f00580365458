import { and, asc, inArray, isNotNull, lte } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { cartItems, carts } from "./tables";

/**
 * The cron's sweep of guest carts past `expires_at`, oldest first and at most `batch` per run, so one run's work
 * stays bounded however many piled up. Only guest carts have a token hash and an expiry, and both are required
 * here: a user's cart is never deleted. Returns how many carts were deleted.
 */
export async function deleteExpiredGuestCarts(db: Database, now: Date, batch = 500): Promise<number> {
  const due = db
    .select({ id: carts.id })
    .from(carts)
    .where(and(isNotNull(carts.tokenHash), lte(carts.expiresAt, now.toISOString())))
    .orderBy(asc(carts.expiresAt))
    .limit(batch);
  // One transaction: both statements see the same carts due.
  const [, deleted] = await db.batch([
    db.delete(cartItems).where(inArray(cartItems.cartId, due)),
    db.delete(carts).where(inArray(carts.id, due)),
  ]);
  return deleted.rowsAffected;
}
