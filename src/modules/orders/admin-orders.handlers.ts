import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import { inBackground } from "../../platform/http/background";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import type { AdminGetOrderRoute, AdminListOrdersRoute, TransitionRoute } from "./admin-orders.routes";
import { sendOrderEmail } from "./order-emails";
import { releaseOrder } from "./release";
import type { OrderView } from "./schemas";
import { orderServicesOf } from "./services";
import { invalidTransition, REFUNDABLE_STATUSES, type TransitionResult, transitionOrder } from "./status";
import { type OrderStatus, orders } from "./tables";
import { loadOrder, loadOrderViews } from "./views";

/** Admins cancel only unpaid orders; money that was taken goes back through a refund. */
const UNPAID: OrderStatus[] = ["pending", "awaiting_payment"];

const NEWEST_FIRST = newestFirst(orders.createdAt, orders.id);

function adminFields<T>(view: T, row: typeof orders.$inferSelect) {
  return { ...view, user_id: row.userId, attention: row.attention, payment_status: row.paymentStatus };
}

async function adminView(c: Parameters<AppRouteHandler<AdminGetOrderRoute>>[0], id: string) {
  const [row] = await c.var.db.select().from(orders).where(eq(orders.id, id)).limit(1);
  const order = row ? await loadOrder(c.var.db, id) : undefined;
  if (!row || !order) throw new ApiError(404, "not_found", "No such order.");
  return adminFields(order, row);
}

export const listOrders: AppRouteHandler<AdminListOrdersRoute> = async (c) => {
  const query = c.req.valid("query");
  const { db } = c.var;
  const conditions: (SQL | undefined)[] = [
    query.status ? eq(orders.status, query.status) : undefined,
    query.user_id ? eq(orders.userId, query.user_id) : undefined,
    query.attention ? eq(orders.attention, query.attention) : undefined,
    query.from ? gte(orders.createdAt, new Date(query.from).toISOString()) : undefined,
    query.to ? lt(orders.createdAt, new Date(query.to).toISOString()) : undefined,
    NEWEST_FIRST.after(query.cursor),
  ];
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(query.limit + 1);
  const { page, nextCursor } = paginate(rows, query.limit, (order) => [order.createdAt, order.id]);
  const views = await loadOrderViews(db, page);
  return c.json(
    { data: page.map((row, index) => adminFields(views[index] as OrderView, row)), next_cursor: nextCursor },
    200,
  );
};

export const getOrder: AppRouteHandler<AdminGetOrderRoute> = async (c) => {
  return c.json(await adminView(c, c.req.valid("param").id), 200);
};

export const transition: AppRouteHandler<TransitionRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { to, note, tracking_reference: trackingReference } = c.req.valid("json");
  const { db, auth, audit, mailer, clock, config } = c.var;
  const before = await adminView(c, id);
  const move = { actor: "admin" as const, actorId: auth.user.id, reason: note ?? null };
  let moved: TransitionResult;
  if (to === "cancelled") {
    const released = await releaseOrder(orderServicesOf(c), id, {
      ...move,
      to,
      from: UNPAID,
      cancelPayment: true,
    });
    moved = released.moved;
    if (released.cancelPayment) inBackground(c, "cancel_payment", released.cancelPayment);
  } else {
    moved = await transitionOrder(db, id, to, { ...move, set: trackingReference ? { trackingReference } : undefined });
  }
  if (!moved.ok) {
    if (to === "cancelled" && moved.current && REFUNDABLE_STATUSES.includes(moved.current)) {
      throw new ApiError(409, "refund_required", "A paid order is cancelled by refunding it (with restock).", {
        extensions: { order_status: moved.current },
      });
    }
    throw invalidTransition(moved.current, to);
  }
  await audit.record({
    action: "order.transitioned",
    actorId: auth.user.id,
    targetType: "order",
    targetId: id,
    details: { from: before.status, to, note: note ?? null, tracking_reference: trackingReference ?? null },
  });
  if (to === "shipped") {
    inBackground(c, "order_email", () => sendOrderEmail({ db, mailer, clock, config }, id, { kind: "shipped" }));
  }
  return c.json(await adminView(c, id), 200);
};
