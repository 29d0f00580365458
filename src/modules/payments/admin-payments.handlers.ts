import { and, eq } from "drizzle-orm";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import type { ListEventsRoute, RefundOrderRoute, ReplayEventRoute } from "./admin-payments.routes";
import { requestRefund } from "./refunds";
import { webhookEvents } from "./tables";

const NEWEST_FIRST = newestFirst(webhookEvents.receivedAt, webhookEvents.id);

type EventRow = typeof webhookEvents.$inferSelect;

function toEventView(event: EventRow) {
  return {
    id: event.id,
    type: event.type,
    status: event.status,
    attempts: event.attempts,
    last_error: event.lastError,
    order_id: event.orderId,
    received_at: event.receivedAt,
    processed_at: event.processedAt,
  };
}

export const refundOrder: AppRouteHandler<RefundOrderRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const key = c.req.valid("header")["idempotency-key"];
  const input = c.req.valid("json");
  const { db, payments, audit, auth } = c.var;
  const refund = await requestRefund(
    { db, payments, audit },
    { orderId: id, adminId: auth.user.id, idempotencyKey: key, input },
  );
  return c.json(refund, 202);
};

export const listEvents: AppRouteHandler<ListEventsRoute> = async (c) => {
  const { status, limit, cursor } = c.req.valid("query");
  const rows = await c.var.db
    .select()
    .from(webhookEvents)
    .where(and(status ? eq(webhookEvents.status, status) : undefined, NEWEST_FIRST.after(cursor)))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(limit + 1);
  const { page, nextCursor } = paginate(rows, limit, (event) => [event.receivedAt, event.id]);
  return c.json({ data: page.map(toEventView), next_cursor: nextCursor }, 200);
};

export const replayEvent: AppRouteHandler<ReplayEventRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { paymentEvents, audit, auth } = c.var;
  const replayed = await paymentEvents.replay(id);
  if (!replayed.ok) {
    if (replayed.status === null) throw new ApiError(404, "not_found", "No such payment event.");
    throw new ApiError(409, "event_not_replayable", `The event is ${replayed.status} and is not replayed.`, {
      extensions: { event_status: replayed.status },
    });
  }
  await audit.record({
    action: "payment_event.replayed",
    actorId: auth.user.id,
    targetType: "payment_event",
    targetId: id,
  });
  return c.json(toEventView(replayed.event), 202);
};
