/**
 * The order state machine: the one table of allowed transitions, and the one
 * function that moves an order, writing its event in the same batch.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { ApiError } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import { ORDER_STATUSES, type OrderStatus, orderEvents, orders } from "./tables";

/** Who moves an order: the shopper who owns it, an admin, or the system (checkout, the cron, payment events). */
export const ACTORS = ["shopper", "admin", "system"] as const;
export type Actor = (typeof ACTORS)[number];

/**
 * Every allowed move and who may make it. Each move has a caller (a test checks the README's diagram against
 * this table): checkout moves `pending` on; the cron expires what checkout or payment never finished; payment
 * events pay, fail, cancel and refund; shoppers cancel what they have not paid; admins cancel unpaid orders and
 * move paid ones through fulfilment (a paid order is refunded, never cancelled).
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, Readonly<Partial<Record<OrderStatus, readonly Actor[]>>>>> = {
  pending: {
    awaiting_payment: ["system"],
    rejected: ["system"],
    payment_failed: ["system"],
    cancelled: ["system", "admin"],
    // The Worker died during checkout: the cron ends the order once its reservation has lapsed.
    expired: ["system"],
  },
  awaiting_payment: {
    paid: ["system"],
    cancelled: ["shopper", "admin", "system"],
    expired: ["system"],
    payment_failed: ["system"],
    // A wrong-amount payment refunded in full, or a payment whose stock was gone, refunded automatically.
    refunded: ["system"],
  },
  paid: { processing: ["admin"], refunded: ["system"], partially_refunded: ["system"] },
  processing: { shipped: ["admin"], refunded: ["system"], partially_refunded: ["system"] },
  shipped: { delivered: ["admin"], refunded: ["system"], partially_refunded: ["system"] },
  delivered: { refunded: ["system"], partially_refunded: ["system"] },
  // Another partial refund keeps the status and records the new total.
  partially_refunded: { partially_refunded: ["system"], refunded: ["system"] },
  rejected: {},
  // A payment that succeeds after the order lapsed: paid if the stock can be had again, refunded if not.
  cancelled: { paid: ["system"], refunded: ["system"] },
  expired: { paid: ["system"], refunded: ["system"] },
  payment_failed: { paid: ["system"], refunded: ["system"] },
  refunded: {},
};

/** Paid and not yet refunded in full: what a refund can start from. */
export const REFUNDABLE_STATUSES: readonly OrderStatus[] = [
  "paid",
  "processing",
  "shipped",
  "delivered",
  "partially_refunded",
];

export function canTransition(from: OrderStatus, to: OrderStatus, actor: Actor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

type OrderRow = typeof orders.$inferSelect;

/** On success, the order as the move left it (read in the same statement, so never stale). */
export type TransitionResult =
  | { ok: true; from: OrderStatus; order: OrderRow }
  | { ok: false; current: OrderStatus | null };

type OrderUpdate = Partial<Omit<typeof orders.$inferInsert, "id" | "status">>;

/**
 * Moves an order to `to` if the table allows it from its current status for this actor (and, when given, only
 * from `from`), in one round trip: the status, then one conditional move per status it may leave (at most one
 * can match, since an order has one status). Each event row is written only when its move took
 * (`changes()` is the row count of the statement just before it, on the same connection), so a concurrent move
 * can never produce two transitions from one status.
 */
export async function transitionOrder(
  db: Database,
  orderId: string,
  to: OrderStatus,
  options: {
    actor: Actor;
    actorId?: string | null;
    reason?: string | null;
    from?: readonly OrderStatus[];
    set?: OrderUpdate;
    /** A further condition on the row, checked in the same update (e.g. that an amount only grows). */
    when?: SQL;
  },
): Promise<TransitionResult> {
  // A move that keeps the status (a further partial refund) goes first: placed after the move into `to`, it would
  // match the row that move had just changed, and the order would move twice.
  const leavable = (options.from ?? ORDER_STATUSES)
    .filter((from) => canTransition(from, to, options.actor))
    .sort((a, b) => Number(b === to) - Number(a === to));
  // The batch is one transaction: when no move takes, the status read first is the status after it too.
  const [[before], ...moves] = await db.batch([
    db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).limit(1),
    ...leavable.flatMap((from) => moveStatements(db, orderId, from, to, options)),
  ]);
  for (const [index, from] of leavable.entries()) {
    const [moved] = moves[index * 2] as OrderRow[];
    if (moved) return { ok: true, from, order: moved };
  }
  return { ok: false, current: before?.status ?? null };
}

/**
 * The move itself, for a caller that knows the status it moves from (the checkout that wrote it) and batches
 * the move with more: the order changes only if it still has status `from` (and `when` holds), and the event is
 * recorded only if it did. The first statement returns the moved row (none if it did not move).
 */
export function moveStatements(
  db: Database,
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  options: { actorId?: string | null; reason?: string | null; set?: OrderUpdate; when?: SQL },
) {
  const at = new Date().toISOString();
  return [
    db
      .update(orders)
      .set({ ...options.set, status: to, updatedAt: at })
      .where(and(sql`${orders.id} = ${orderId} and ${orders.status} = ${from}`, options.when))
      .returning(),
    db.run(sql`insert into ${orderEvents} (id, order_id, from_status, to_status, actor_id, reason, at)
      select ${newId("oev")}, ${orderId}, ${from}, ${to}, ${options.actorId ?? null}, ${options.reason ?? null}, ${at}
      where changes() = 1`),
  ] as const;
}

/** 409 naming the order's current status. */
export function invalidTransition(current: string | null, wanted: string): ApiError {
  return new ApiError(409, "invalid_transition", `The order is ${current} and cannot become ${wanted}.`, {
    extensions: { order_status: current },
  });
}
