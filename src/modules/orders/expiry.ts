import { and, asc, eq, isNull, lte } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import type { Logger } from "../../platform/logger";
import type { StockService } from "../inventory";
import type { PaymentProvider } from "../payments";
import { transitionOrder } from "./status";
import { orders } from "./tables";
import { orderStock } from "./views";

const BATCH = 100;

/**
 * Moves unpaid orders past their deadline to `expired`, releases their
 * reservations and cancels their PaymentIntents. Idempotent with the reservations' own alarm: whichever runs
 * first gives the stock back, the other finds nothing to do.
 */
export async function expireOverdueOrders(
  services: { db: Database; stock: StockService; payments: PaymentProvider; logger: Logger },
  now = new Date(),
): Promise<number> {
  const { db, stock, payments, logger } = services;
  const overdue = await db
    .select()
    .from(orders)
    // An order holding a wrong-amount payment is not expired: an admin refunds it.
    .where(
      and(eq(orders.status, "awaiting_payment"), lte(orders.expiresAt, now.toISOString()), isNull(orders.attention)),
    )
    .orderBy(asc(orders.expiresAt))
    .limit(BATCH);
  let expired = 0;
  for (const order of overdue) {
    const moved = await transitionOrder(db, order.id, "expired", {
      from: ["awaiting_payment"],
      reason: "payment_timeout",
    });
    if (!moved.ok) continue;
    const { key, productIds } = await orderStock(db, order);
    await stock.releaseAll(key, productIds);
    expired++;
    // A payment already on its way still arrives as an event, and is handled as a late payment.
    if (order.paymentIntentId) {
      await payments.cancelPayment(order.paymentIntentId, order.id).catch((error: unknown) => {
        logger.error("payment_cancel_failed", { order_id: order.id, error });
      });
    }
  }
  if (expired > 0) logger.info("orders_expired", { count: expired });
  return expired;
}
