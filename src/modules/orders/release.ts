/**
 * Ending an unpaid order: the one sequence every cancel, expiry and payment-failure path uses.
 * Transition first (a conditional update, so of two concurrent enders exactly one goes on), then give the
 * stock back, then, if asked, cancel the PaymentIntent. Every part is idempotent: a second call finds the
 * order already moved and does nothing; releasing a reservation twice releases it once. A stock object that
 * cannot be reached is logged, not fatal: the order has ended, and its reservations lapse by alarm.
 */
import type { OrderServices } from "./services";
import { type Actor, type TransitionResult, transitionOrder } from "./status";
import type { OrderStatus } from "./tables";
import { orderStock } from "./views";

export interface ReleaseMove {
  to: Extract<OrderStatus, "cancelled" | "expired" | "payment_failed">;
  from: readonly OrderStatus[];
  actor: Actor;
  actorId?: string | null;
  reason: string | null;
  set?: { paymentStatus?: string };
  /** Cancel the PaymentIntent too (not when the processor itself reported the payment stopped). */
  cancelPayment: boolean;
}

export interface Released {
  moved: TransitionResult;
  /**
   * The PaymentIntent's cancellation, for the caller to await or hand to `waitUntil`: a payment that still
   * succeeds afterwards is handled as a late payment (stock again, or an automatic refund).
   */
  cancelPayment: (() => Promise<void>) | null;
}

export async function releaseOrder(
  services: Pick<OrderServices, "db" | "stock" | "payments" | "logger">,
  orderId: string,
  move: ReleaseMove,
): Promise<Released> {
  const { db, stock, payments, logger } = services;
  const moved = await transitionOrder(db, orderId, move.to, {
    actor: move.actor,
    actorId: move.actorId ?? null,
    from: move.from,
    reason: move.reason,
    set: move.set,
  });
  if (!moved.ok) return { moved, cancelPayment: null };
  // The row as the move left it: a checkout that finished meanwhile has recorded its PaymentIntent there.
  const order = moved.order;
  const intentId = order.paymentIntentId;
  const cancelPayment = move.cancelPayment && intentId ? () => payments.cancelPayment(intentId, order.id) : null;
  try {
    const { key, variantIds } = await orderStock(db, order);
    await stock.releaseAll(key, variantIds);
  } catch (error) {
    // The order has ended either way; its reservations lapse by their own alarm within the TTL.
    logger.error("stock_release_failed", { order_id: order.id, error });
  }
  return { moved, cancelPayment };
}
