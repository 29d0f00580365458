/**
 * Refunds asked for by admins. The refund is recorded as `requested` only if
 * it fits in what is left of the payment (checked in the insert itself, so
 * two refunds at once cannot together exceed it), then asked of the
 * processor. The order changes when the processor confirms (`charge.refunded`).
 */
import { eq, sql } from "drizzle-orm";
import type { AuditLog } from "../../platform/audit/audit-log";
import type { Database } from "../../platform/db/client";
import { ApiError } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import { invalidTransition, orders, REFUNDABLE_STATUSES } from "../orders";
import { heldForMismatch } from "./process-event";
import { type PaymentProvider, PaymentProviderError } from "./provider";
import { refunds } from "./tables";

type RefundRow = typeof refunds.$inferSelect;
type OrderRow = typeof orders.$inferSelect;

export interface RefundInput {
  amount?: number | undefined;
  reason: string;
  restock: boolean;
}

function toRefundView(refund: RefundRow) {
  return {
    id: refund.id,
    order_id: refund.orderId,
    amount: refund.amount,
    reason: refund.reason,
    restock: refund.restock,
    status: refund.status,
    provider_refund_id: refund.providerRefundId,
    requested_by: refund.requestedBy,
    created_at: refund.createdAt,
  };
}

/**
 * What is left to refund: what was paid (the amount received, or else the
 * total), less what the processor says was refunded (or what was confirmed
 * here, if more), less refunds still pending; failed refunds count for
 * nothing. Zero or less: nothing is left.
 */
export function refundableAmount(
  order: Pick<OrderRow, "receivedAmount" | "totalAmount" | "refundedAmount">,
  existing: readonly Pick<RefundRow, "status" | "amount">[],
): number {
  const sum = (status: RefundRow["status"]) =>
    existing.filter((refund) => refund.status === status).reduce((total, refund) => total + refund.amount, 0);
  return (
    (order.receivedAmount ?? order.totalAmount) - Math.max(order.refundedAmount, sum("succeeded")) - sum("requested")
  );
}

/** `refundableAmount`, evaluated inside the insert. */
function refundableSql(orderId: string) {
  return sql`(select coalesce(${orders.receivedAmount}, ${orders.totalAmount})
      - max(${orders.refundedAmount}, coalesce((select sum(amount) from ${refunds} where order_id = ${orderId} and status = 'succeeded'), 0))
      - coalesce((select sum(amount) from ${refunds} where order_id = ${orderId} and status = 'requested'), 0)
    from ${orders} where ${orders.id} = ${orderId})`;
}

export async function requestRefund(
  services: { db: Database; payments: PaymentProvider; audit: AuditLog },
  request: { orderId: string; adminId: string; idempotencyKey: string; input: RefundInput },
) {
  const { db, payments, audit } = services;
  const { orderId, adminId, input } = request;
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order) throw new ApiError(404, "not_found", "No such order.");
  // Paid orders, and unpaid ones holding a wrong-amount payment (which is all an admin can do with it).
  if (!(REFUNDABLE_STATUSES.includes(order.status) || heldForMismatch(order)) || !order.paymentIntentId) {
    throw invalidTransition(order.status, "refunded");
  }
  const existing = await db.select().from(refunds).where(eq(refunds.orderId, orderId));
  const refundable = refundableAmount(order, existing);
  const amount = input.amount ?? refundable;
  if (refundable <= 0 || amount > refundable) {
    throw new ApiError(422, "refund_exceeds_payment", `At most ${Math.max(refundable, 0)} can still be refunded.`, {
      extensions: { refundable_amount: Math.max(refundable, 0) },
    });
  }
  if (input.restock && amount !== refundable) {
    throw new ApiError(422, "restock_requires_full_refund", "Restocking goes with refunding everything that is left.", {
      extensions: { refundable_amount: refundable },
    });
  }

  const refundId = newId("rfd");
  const createdAt = new Date().toISOString();
  const inserted =
    await db.run(sql`insert into ${refunds} (id, order_id, amount, reason, restock, status, requested_by, created_at)
    select ${refundId}, ${orderId}, ${amount}, ${input.reason}, ${input.restock ? 1 : 0}, 'requested', ${adminId}, ${createdAt}
    where ${amount} <= ${refundableSql(orderId)}`);
  if (inserted.rowsAffected === 0) {
    throw new ApiError(
      409,
      "refund_conflict",
      "Another refund of this order was requested at the same time; look again.",
    );
  }

  let providerRefundId: string;
  try {
    const refund = await payments.createRefund({
      orderId,
      intentId: order.paymentIntentId,
      amount,
      refundedTotal: (order.receivedAmount ?? order.totalAmount) - refundable + amount,
      currency: order.currency,
      restock: input.restock,
      reason: input.reason,
      // The admin's key: a retried request reaches the same refund at the processor.
      idempotencyKey: `refund:${orderId}:${request.idempotencyKey}`,
    });
    providerRefundId = refund.id;
  } catch (error) {
    // The processor may still have made it (a timeout after the fact): a retry with the same
    // Idempotency-Key reaches that same refund at the processor and records it again.
    await db.update(refunds).set({ status: "failed" }).where(eq(refunds.id, refundId));
    if (error instanceof PaymentProviderError && error.rejected) {
      throw new ApiError(422, "refund_rejected", `The payment provider refused this refund: ${error.rejected}`);
    }
    if (error instanceof PaymentProviderError) {
      throw new ApiError(
        502,
        "payment_provider_error",
        "The payment provider did not confirm the refund. Retry with the same Idempotency-Key.",
      );
    }
    throw error;
  }
  const [saved] = await db.update(refunds).set({ providerRefundId }).where(eq(refunds.id, refundId)).returning();
  if (!saved) throw new Error(`refund ${refundId} vanished`);
  await audit.record({
    action: "refund.requested",
    actorId: adminId,
    targetType: "order",
    targetId: orderId,
    details: { refund_id: refundId, amount, restock: input.restock },
  });
  return toRefundView(saved);
}
