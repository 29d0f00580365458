import { and, asc, eq, lte } from "drizzle-orm";
import type { Database } from "../db/client";
import { orders } from "../db/schema";
import type { StockService } from "../inventory/stock-service";
import type { Logger } from "../lib/logger";
import { transitionOrder } from "./status";
import { orderProductIds } from "./views";

const BATCH = 100;

/**
 * Moves unpaid orders past their deadline to `expired` and releases their
 * reservations. Idempotent with the reservations' own alarm: whichever runs
 * first gives the stock back, the other finds nothing to do.
 */
export async function expireOverdueOrders(
  services: { db: Database; stock: StockService; logger: Logger },
  now = new Date(),
): Promise<number> {
  const { db, stock, logger } = services;
  const overdue = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "awaiting_payment"), lte(orders.expiresAt, now.toISOString())))
    .orderBy(asc(orders.expiresAt))
    .limit(BATCH);
  let expired = 0;
  for (const { id } of overdue) {
    const moved = await transitionOrder(db, id, "expired", { from: ["awaiting_payment"], reason: "payment_timeout" });
    if (!moved.ok) continue;
    await stock.releaseAll(id, await orderProductIds(db, id));
    expired++;
  }
  if (expired > 0) logger.info("orders_expired", { count: expired });
  return expired;
}
