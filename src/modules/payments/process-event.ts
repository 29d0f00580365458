/**
 * The queue consumer's work: one payment event, processed once. Each handler
 * is written against the order state machine, so events may arrive late, out
 * of order or more than once and an order's state never goes backwards.
 */
import { and, asc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type AuditAction, AuditLog } from "../../platform/audit/audit-log";
import type { AppConfig } from "../../platform/config";
import type { Database } from "../../platform/db/client";
import type { Background } from "../../platform/http/background";
import type { Logger } from "../../platform/logger";
import type { StockService } from "../inventory";
import {
  canTransition,
  moveStatements,
  type OrderEmailEvent,
  type OrderEmailServices,
  type OrderStatus,
  orderItems,
  orderStock,
  orders,
  REFUNDABLE_STATUSES,
  releaseOrder,
  sendOrderEmail,
  transitionOrder,
} from "../orders";
import { refundedTaxFor } from "../pricing";
import { type PaymentEvent, queuedUntil } from "./events";
import type { PaymentProvider } from "./provider";
import { refunds, webhookEvents } from "./tables";

export const LEASE_SECONDS = 60;
const LEASE_MS = LEASE_SECONDS * 1000;

export interface EventServices extends OrderEmailServices {
  db: Database;
  stock: StockService;
  payments: PaymentProvider;
  logger: Logger;
  /** Where order emails are sent from, once the change they report is written. */
  background: Background;
  config: Pick<AppConfig, "reservationTtlSeconds" | "paymentEventRetrySeconds"> & OrderEmailServices["config"];
}

/** `recorded`: the handler already wrote the event's outcome, in the batch of the change it made. */
type Outcome = { result: "processed" | "ignored"; orderId: string | null; recorded?: boolean };
type OrderRow = typeof orders.$inferSelect;

/** Paid, in whatever state fulfilment has reached: a late success, failure or cancellation changes nothing. */
const SETTLED: readonly OrderStatus[] = [...REFUNDABLE_STATUSES, "refunded"];
/** A payment that succeeds now must first get its stock back. */
const LAPSED: OrderStatus[] = ["expired", "cancelled", "payment_failed"];

/**
 * - `processed` / `ignored`: applied now (ignored: nothing for it to change).
 * - `done`: an earlier delivery already applied it.
 * - `busy`: another delivery holds it right now; try again after its lease.
 * - `unknown`: no such event was recorded.
 */
export type ProcessResult = "processed" | "ignored" | "done" | "busy" | "unknown";

/**
 * Claims the event (so a duplicate delivery running at the same time does
 * nothing), applies it, and records the result. A failure is recorded
 * (`last_error`, back to `queued`) and rethrown, so the queue retries it and,
 * after its last retry, dead-letters it (then the event is `failed`).
 */
export async function processEvent(services: EventServices, eventId: string): Promise<ProcessResult> {
  const { db } = services;
  const now = new Date();
  // One round trip: the claim, and the order the event names with its lines (read whether or not the claim
  // took; used only if it did).
  const [[claimed], [order], items] = await db.batch([
    db
      .update(webhookEvents)
      .set({
        status: "processing",
        attempts: sql`${webhookEvents.attempts} + 1`,
        leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
      })
      .where(
        and(
          eq(webhookEvents.id, eventId),
          or(
            inArray(webhookEvents.status, ["received", "queued", "failed"]),
            and(eq(webhookEvents.status, "processing"), lt(webhookEvents.leaseUntil, now.toISOString())),
          ),
        ),
      )
      .returning(),
    db.select().from(orders).where(namedByEvent(eventId)).limit(1),
    db
      .select({ variantId: orderItems.variantId, quantity: orderItems.quantity })
      .from(orderItems)
      .where(
        inArray(orderItems.orderId, db.select({ id: orders.id }).from(orders).where(namedByEvent(eventId)).limit(1)),
      ),
  ]);
  if (!claimed) {
    const [existing] = await db
      .select({ status: webhookEvents.status })
      .from(webhookEvents)
      .where(eq(webhookEvents.id, eventId));
    if (!existing) return "unknown";
    return existing.status === "processing" ? "busy" : "done";
  }

  const finished: Finish = (outcome, when) =>
    db
      .update(webhookEvents)
      .set({
        status: outcome.result,
        processedAt: new Date().toISOString(),
        orderId: outcome.orderId,
        lastError: null,
        leaseUntil: null,
      })
      .where(and(eq(webhookEvents.id, eventId), when));
  try {
    const outcome = await apply(services, claimed.payload as PaymentEvent, order, items, finished);
    if (!outcome.recorded) await finished(outcome);
    return outcome.result;
  } catch (error) {
    await db
      .update(webhookEvents)
      .set({
        status: "queued",
        lastError: error instanceof Error ? error.message : String(error),
        leaseUntil: queuedUntil(),
      })
      .where(eq(webhookEvents.id, eventId));
    throw error;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function intentIdOf(object: Record<string, unknown>): string | undefined {
  return object.object === "payment_intent" ? text(object.id) : text(object.payment_intent);
}

/**
 * The order a recorded event names: by the `order_id` of its metadata when it is a non-empty string, else by its PaymentIntent
 * (the intent itself, or the `payment_intent` of a charge or refund). Metadata alone proves nothing: `apply`
 * checks that the order's intent is the event's.
 */
function namedByEvent(eventId: string): SQL {
  const field = (path: string) =>
    sql`(select json_extract(${webhookEvents.payload}, ${path}) from ${webhookEvents} where ${webhookEvents.id} = ${eventId})`;
  const orderId = field("$.data.object.metadata.order_id");
  const intentId = sql`case when ${field("$.data.object.object")} = 'payment_intent' then ${field("$.data.object.id")} else ${field("$.data.object.payment_intent")} end`;
  return sql`case when typeof(${orderId}) = 'text' and length(${orderId}) > 0 then ${orders.id} = ${orderId} else ${orders.paymentIntentId} = ${intentId} end`;
}

type OrderLine = { variantId: string; quantity: number };
/**
 * The statement that records the event's outcome (only if `when` holds as it runs), for a handler that batches
 * it with the change it records.
 */
type Finish = (outcome: Outcome, when?: SQL) => BatchItem<"sqlite">;

async function apply(
  services: EventServices,
  event: PaymentEvent,
  order: OrderRow | undefined,
  items: OrderLine[],
  finished: Finish,
): Promise<Outcome> {
  if (!order) {
    services.logger.warn("payment_event_without_order", { event_id: event.id, type: event.type });
    return { result: "ignored", orderId: null };
  }
  const object = event.data.object;
  // Metadata alone proves nothing (any payment on the account can carry an order id): it must be this order's intent.
  if (!order.paymentIntentId || intentIdOf(object) !== order.paymentIntentId) {
    services.logger.warn("payment_event_intent_mismatch", { event_id: event.id, type: event.type, order_id: order.id });
    return { result: "ignored", orderId: order.id };
  }
  const audit = new AuditLog(services.db, { requestId: `event:${event.id}`, network: null });
  const context = { services, order, items, audit, event, finished };
  switch (event.type) {
    case "payment_intent.succeeded":
      return onSucceeded(context);
    case "payment_intent.payment_failed":
      return onStopped(context, { to: "payment_failed", paymentStatus: "failed", action: "payment.failed" });
    case "payment_intent.canceled":
      return onStopped(context, { to: "cancelled", paymentStatus: "canceled", action: "payment.canceled" });
    case "charge.refunded":
      return onRefunded(context);
    case "refund.failed":
    case "refund.updated":
    case "charge.refund.updated":
      return onRefundFailed(context);
    case "charge.dispute.created":
      await services.db.update(orders).set({ attention: "disputed" }).where(eq(orders.id, order.id));
      return processed(audit, order.id, "payment.disputed", { event: event.id });
    default:
      return { result: "ignored", orderId: order.id };
  }
}

/** The event changed the order: the audit trail says how. */
async function processed(
  audit: AuditLog,
  orderId: string,
  action: AuditAction,
  details?: Record<string, unknown>,
): Promise<Outcome> {
  await audit.record({ action, targetType: "order", targetId: orderId, details });
  return { result: "processed", orderId };
}

interface Context {
  services: EventServices;
  order: OrderRow;
  /** The order's lines, read with the claim. */
  items: OrderLine[];
  audit: AuditLog;
  event: PaymentEvent;
  finished: Finish;
}

async function onSucceeded({ services, order, items, audit, event, finished }: Context): Promise<Outcome> {
  const { db, stock, logger } = services;
  const object = event.data.object;
  const amount = Number(object.amount);
  const currency = text(object.currency)?.toLowerCase();
  if (SETTLED.includes(order.status) || order.status === "rejected" || order.status === "pending") {
    return { result: "ignored", orderId: order.id };
  }
  if (amount !== order.totalAmount || currency !== order.currency) {
    // Never paid on a wrong amount: the order waits for an admin (who refunds it), and the cron leaves it alone.
    await db
      .update(orders)
      .set({
        attention: "payment_mismatch",
        paymentStatus: "succeeded",
        receivedAmount: Number.isFinite(amount) ? amount : null,
      })
      .where(eq(orders.id, order.id));
    logger.warn("payment_amount_mismatch", { order_id: order.id });
    return processed(audit, order.id, "payment.mismatch", {
      expected: { amount: order.totalAmount, currency: order.currency },
      received: { amount, currency },
    });
  }

  const key = order.reservationKey ?? order.id;
  const variantIds = items.map((item) => item.variantId);
  if (order.status === "awaiting_payment") {
    const committed = await stock.commitAll(key, variantIds);
    if (committed.every((outcome) => outcome.ok)) return markPaid(services, order, key, audit, finished);
    // Some reservation lapsed before the payment arrived: put back what did commit, then try again as a late payment.
    await stock.restockAll(key, variantIds);
  }
  if (order.status === "awaiting_payment" || LAPSED.includes(order.status)) {
    const lateKey = `${order.id}:late:${event.id}`;
    const reserved = await stock.reserveAll(lateKey, items, services.config.reservationTtlSeconds);
    if (reserved.ok) {
      const committed = await stock.commitAll(lateKey, variantIds);
      if (committed.every((outcome) => outcome.ok)) return markPaid(services, order, lateKey, audit, finished);
      // The fresh reservation lapsed before it could be committed: give back what did commit, and refund.
      await stock.restockAll(lateKey, variantIds);
    }
    return refundOutOfStock(services, order, audit);
  }
  return { result: "ignored", orderId: order.id };
}

/**
 * The order becomes paid, its audit entry and the event's outcome written in the same round trip (each only if
 * the order moved). When it did not (its status changed since it was read), the move is tried once more from the
 * status it has now, as any other transition is.
 */
async function markPaid(
  services: EventServices,
  order: OrderRow,
  key: string,
  audit: AuditLog,
  finished: Finish,
): Promise<Outcome> {
  const { db } = services;
  const paidAt = new Date().toISOString();
  const set = { paidAt, paymentStatus: "succeeded", receivedAmount: order.totalAmount, reservationKey: key };
  const paidByThisMove = sql`exists (select 1 from ${orders} where ${orders.id} = ${order.id}
    and ${orders.status} = 'paid' and ${orders.paidAt} = ${paidAt} and ${orders.reservationKey} = ${key})`;
  const outcome: Outcome = { result: "processed", orderId: order.id, recorded: true };
  if (canTransition(order.status, "paid", "system")) {
    const [[moved]] = await db.batch([
      ...moveStatements(db, order.id, order.status, "paid", { reason: "payment_succeeded", set }),
      audit.insertWhen(
        { action: "payment.succeeded", targetType: "order", targetId: order.id, details: { from: order.status } },
        paidByThisMove,
      ),
      finished(outcome, paidByThisMove),
    ]);
    if (moved) {
      emailOrder(services, order.id, { kind: "paid" });
      return outcome;
    }
  }
  const moved = await transitionOrder(db, order.id, "paid", { actor: "system", reason: "payment_succeeded", set });
  if (!moved.ok) return { result: "ignored", orderId: order.id };
  emailOrder(services, order.id, { kind: "paid" });
  return processed(audit, order.id, "payment.succeeded", { from: moved.from });
}

/**
 * The shopper's email about a move this delivery made (never one it found made: a duplicate sends nothing),
 * after the move is written; a failure to send is logged and leaves the order as it is.
 */
function emailOrder(services: EventServices, orderId: string, event: OrderEmailEvent): void {
  services.background("order_email", () => sendOrderEmail(services, orderId, event));
}

/** The refund totals a move writes and its email states: the tax refunded is in proportion to the amount. */
function refundTotals(order: OrderRow, refundedAmount: number) {
  return { refundedAmount, refundedTaxAmount: refundedTaxFor(order, refundedAmount) };
}

/** Paid after the stock was gone: the whole payment goes back, and the order says why. */
async function refundOutOfStock(services: EventServices, order: OrderRow, audit: AuditLog): Promise<Outcome> {
  const { db, payments } = services;
  if (!order.paymentIntentId) throw new Error(`order ${order.id} has no payment to refund`);
  // One automatic refund per order, whatever retries happen: its id is the order's.
  const refundId = `rfd_auto_${order.id}`;
  await db
    .insert(refunds)
    .values({
      id: refundId,
      orderId: order.id,
      amount: order.totalAmount,
      reason: "out_of_stock",
      restock: false,
      status: "requested",
      createdAt: new Date().toISOString(),
    })
    .onConflictDoNothing();
  const refund = await payments.createRefund({
    orderId: order.id,
    intentId: order.paymentIntentId,
    amount: order.totalAmount,
    refundedTotal: order.totalAmount,
    currency: order.currency,
    restock: false,
    reason: "out_of_stock",
    idempotencyKey: `auto-refund:${order.id}`,
  });
  await db.update(refunds).set({ providerRefundId: refund.id }).where(eq(refunds.id, refundId));
  const totals = refundTotals(order, order.totalAmount);
  const moved = await transitionOrder(db, order.id, "refunded", {
    actor: "system",
    from: LAPSED.concat("awaiting_payment"),
    reason: "out_of_stock",
    set: { ...totals, paymentStatus: "refunded" },
  });
  if (moved.ok) emailOrder(services, order.id, { kind: "refunded", ...totals });
  return processed(audit, order.id, "payment.refunded_out_of_stock", { amount: order.totalAmount, moved: moved.ok });
}

/** A failed or cancelled payment ends an order still waiting for it, and gives its stock back. */
async function onStopped(
  { services, order, audit, event }: Context,
  {
    to,
    paymentStatus,
    action,
  }: { to: "payment_failed" | "cancelled"; paymentStatus: string; action: "payment.failed" | "payment.canceled" },
): Promise<Outcome> {
  // A cancelled intent is gone. A failed one could still be paid (a card declined once may be tried again): the
  // order has ended and given back its stock and its discount use, so its intent is cancelled too, and a payment
  // that still arrives is a late one.
  const released = await releaseOrder(services, order.id, {
    to,
    from: ["awaiting_payment"],
    actor: "system",
    reason: event.type,
    set: { paymentStatus },
    cancelPayment: to === "payment_failed",
  });
  if (!released.moved.ok) return { result: "ignored", orderId: order.id };
  if (released.cancelPayment) services.background("cancel_payment", released.cancelPayment);
  return processed(audit, order.id, action);
}

/** Money was taken for an order that is not paid (a wrong amount): it waits for an admin's refund. */
export function heldForMismatch(order: OrderRow): boolean {
  return order.attention === "payment_mismatch" && order.receivedAmount !== null && !SETTLED.includes(order.status);
}

async function onRefunded({ services, order, audit, event }: Context): Promise<Outcome> {
  const { db, stock } = services;
  const held = heldForMismatch(order);
  const paid = order.receivedAmount ?? order.totalAmount;
  // Stripe reports the charge's refunded total, so a repeated or reordered event can only confirm, never add.
  const refunded = Math.min(paid, Number(event.data.object.amount_refunded) || 0);
  if (order.status === "awaiting_payment" && !held && refunded > 0) {
    // Delivered before the success it refunds: retried, it finds the order paid.
    throw new Error(`order ${order.id} is not paid yet while a refund of it is reported; retrying`);
  }
  if (LAPSED.includes(order.status) && !held && (await hasRequestedRefund(db, order.id))) {
    // The automatic refund of a late payment is confirmed before its order moved: retried, it finds the order refunded.
    throw new Error(`order ${order.id} is ${order.status} while its refund is confirmed; retrying`);
  }

  let status: OrderStatus = order.status;
  if ((REFUNDABLE_STATUSES.includes(order.status) || held) && refunded > order.refundedAmount) {
    // A wrong-amount payment refunded in part changes nothing but the amount: the order was never paid.
    const to = refunded >= paid ? "refunded" : held ? null : "partially_refunded";
    const onlyGrows = lt(orders.refundedAmount, refunded);
    const totals = refundTotals(order, refunded);
    if (to) {
      const moved = await transitionOrder(db, order.id, to, {
        actor: "system",
        from: [order.status],
        reason: `refunded ${refunded} of ${paid}`,
        set: { ...totals, paymentStatus: to },
        when: onlyGrows,
      });
      if (moved.ok) {
        status = to;
        emailOrder(services, order.id, { kind: "refunded", ...totals });
      }
      if (moved.ok && held) {
        const { key, variantIds } = await orderStock(db, order);
        await stock.releaseAll(key, variantIds);
      }
    } else {
      await db
        .update(orders)
        .set(totals)
        .where(and(eq(orders.id, order.id), onlyGrows));
    }
  }

  // Whatever the order did (this delivery or an earlier one that failed half-way), the refunds the total covers are confirmed.
  const confirmed = await refundsCoveredBy(db, order.id, Math.max(refunded, order.refundedAmount));
  const restock = confirmed.some((refund) => refund.restock) && order.status !== "awaiting_payment" && !held;
  if (restock) {
    // Before the rows are marked: a failure here is retried and restocks then (restocking is idempotent).
    const { key, variantIds } = await orderStock(db, order);
    await stock.restockAll(key, variantIds);
  }
  await markSucceeded(db, confirmed);
  if (status === order.status && confirmed.length === 0) return { result: "ignored", orderId: order.id };
  return processed(audit, order.id, "payment.refunded", {
    refunded_amount: refunded,
    status,
    refunds: confirmed.map((refund) => refund.id),
    restocked: restock,
  });
}

/** A refund the processor could not make (`refund.failed`, or an update to `failed`): its amount is free again. */
async function onRefundFailed({ services, order, audit, event }: Context): Promise<Outcome> {
  const object = event.data.object;
  const refundId = text(object.id);
  if (object.object !== "refund" || !refundId || !["failed", "canceled"].includes(text(object.status) ?? "")) {
    return { result: "ignored", orderId: order.id };
  }
  const failed = await services.db
    .update(refunds)
    .set({ status: "failed" })
    .where(and(eq(refunds.providerRefundId, refundId), eq(refunds.status, "requested")))
    .returning({ id: refunds.id });
  if (failed.length === 0) return { result: "ignored", orderId: order.id };
  return processed(audit, order.id, "refund.failed", { refund_id: failed[0]?.id, provider_refund_id: refundId });
}

async function hasRequestedRefund(db: Database, orderId: string): Promise<boolean> {
  const [requested] = await db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), eq(refunds.status, "requested")))
    .limit(1);
  return requested !== undefined;
}

/** The requested refunds the processor's refunded total covers, oldest first. */
async function refundsCoveredBy(db: Database, orderId: string, refundedTotal: number) {
  const rows = await db
    .select()
    .from(refunds)
    .where(eq(refunds.orderId, orderId))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
  return coveredRefunds(rows, refundedTotal);
}

/**
 * Of an order's refunds (oldest first), the requested ones that a refunded
 * total covers: the succeeded ones count first, then each requested one in
 * turn if it still fits (one that does not is skipped, a later smaller one may
 * fit). Failed refunds count for nothing.
 */
export function coveredRefunds<T extends Pick<typeof refunds.$inferSelect, "status" | "amount">>(
  rows: readonly T[],
  refundedTotal: number,
): T[] {
  let covered = rows.filter((refund) => refund.status === "succeeded").reduce((sum, refund) => sum + refund.amount, 0);
  const confirmed: T[] = [];
  for (const refund of rows) {
    if (refund.status !== "requested" || covered + refund.amount > refundedTotal) continue;
    covered += refund.amount;
    confirmed.push(refund);
  }
  return confirmed;
}

async function markSucceeded(db: Database, rows: { id: string }[]) {
  if (rows.length === 0) return;
  await db
    .update(refunds)
    .set({ status: "succeeded" })
    .where(
      and(
        inArray(
          refunds.id,
          rows.map((row) => row.id),
        ),
        eq(refunds.status, "requested"),
      ),
    );
}
