import { and, asc, eq, isNull, lte } from "drizzle-orm";
import { releaseOrder } from "./release";
import type { OrderServices } from "./services";
import { orders } from "./tables";

/** Orders ended per cron run (`batch` overrides it): the rest wait for the next minute, oldest first. */
const EXPIRY_BATCH = 100;

/**
 * How much older than the reservation TTL a `pending` order must be before it counts as abandoned: a checkout
 * still running (a slow payment provider) must not be ended under its feet. Its reservations have lapsed by then.
 */
export const ABANDONED_GRACE_SECONDS = 60;

/**
 * The cron's sweep of orders nobody will finish:
 * - `awaiting_payment` past its deadline (the shopper never paid);
 * - `pending` older than the reservation TTL and a grace period (the Worker died during checkout, so no step
 *   moved it on).
 * Each becomes `expired`, gives its stock back and has the PaymentIntent it recorded cancelled. Idempotent with
 * the reservations' own alarm: whichever runs first gives the stock back, the other finds nothing to do.
 * One order failing (a Durable Object or the processor unreachable) does not stop the others.
 */
export async function expireOverdueOrders(
  services: Pick<OrderServices, "db" | "stock" | "payments" | "clock" | "logger" | "config">,
  { batch = EXPIRY_BATCH }: { batch?: number } = {},
): Promise<number> {
  const { db, logger, clock, config } = services;
  const now = clock.now();
  const abandonedBefore = new Date(
    now.getTime() - (config.reservationTtlSeconds + ABANDONED_GRACE_SECONDS) * 1000,
  ).toISOString();
  // Two queries in one round trip, each on the (status, expires_at) index.
  const [unpaid, abandoned] = await db.batch([
    db
      .select()
      .from(orders)
      // An order holding a wrong-amount payment is not expired: an admin refunds it.
      .where(
        and(eq(orders.status, "awaiting_payment"), lte(orders.expiresAt, now.toISOString()), isNull(orders.attention)),
      )
      .orderBy(asc(orders.expiresAt))
      .limit(batch),
    db
      .select()
      .from(orders)
      .where(and(eq(orders.status, "pending"), lte(orders.createdAt, abandonedBefore)))
      .orderBy(asc(orders.createdAt))
      .limit(batch),
  ]);
  const overdue = [...abandoned, ...unpaid].slice(0, batch);
  let expired = 0;
  for (const order of overdue) {
    try {
      const released = await releaseOrder(services, order.id, {
        to: "expired",
        from: [order.status],
        actor: "system",
        reason: order.status === "pending" ? "checkout_abandoned" : "payment_timeout",
        cancelPayment: true,
      });
      if (!released.moved.ok) continue;
      expired++;
      await released.cancelPayment?.().catch((error: unknown) => {
        logger.error("payment_cancel_failed", { order_id: order.id, error });
      });
    } catch (error) {
      logger.error("order_expiry_failed", { order_id: order.id, error });
    }
  }
  if (expired > 0) logger.info("orders_expired", { count: expired });
  return expired;
}
