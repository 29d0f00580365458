/**
 * Ending an unpaid order: the one sequence every cancel, expiry and payment-failure path uses.
 * Transition first (a conditional update, so of two concurrent enders exactly one goes on), then give the
 * stock back, then, if asked, cancel the PaymentIntent. Every part is idempotent: a second call finds the
 * order already moved and does nothing; releasing a reservation twice releases it once.
 */
import type { OrderServices } from "./services";
import { type Actor, type TransitionResult, transitionOrder } from "./status";
import type { OrderStatus, orders } from "./tables";
import { orderStock } from "./views";

type OrderRow = typeof orders.$inferSelect;

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
  services: Pick<OrderServices, "db" | "stock" | "payments">,
  order: Pick<OrderRow, "id" | "reservationKey" | "paymentIntentId">,
  move: ReleaseMove,
): Promise<Released> {
  const { db, stock, payments } = services;
  const moved = await transitionOrder(db, order.id, move.to, {
    actor: move.actor,
    actorId: move.actorId ?? null,
    from: move.from,
    reason: move.reason,
    set: move.set,
  });
  if (!moved.ok) return { moved, cancelPayment: null };
  const { key, productIds } = await orderStock(db, order);
  await stock.releaseAll(key, productIds);
  const intentId = order.paymentIntentId;
  return {
    moved,
    cancelPayment: move.cancelPayment && intentId ? () => payments.cancelPayment(intentId, order.id) : null,
  };
}
