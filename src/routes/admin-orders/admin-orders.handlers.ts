import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { orders } from "../../db/schema";
import { afterCursor, decodeCursor, paginate, type SortKey } from "../../lib/pagination";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import { invalidTransition, transitionOrder } from "../../orders/status";
import { loadOrder, orderProductIds, toOrderViews } from "../../orders/views";
import type { AdminGetOrderRoute, AdminListOrdersRoute, TransitionRoute } from "./admin-orders.routes";

const NEWEST_FIRST: SortKey[] = [
  { column: orders.createdAt, direction: "desc" },
  { column: orders.id, direction: "desc" },
];

async function adminView(c: Parameters<AppRouteHandler<AdminGetOrderRoute>>[0], id: string) {
  const [owner] = await c.var.db.select({ userId: orders.userId }).from(orders).where(eq(orders.id, id)).limit(1);
  const order = owner ? await loadOrder(c.var.db, id) : undefined;
  if (!owner || !order) throw new ApiError(404, "not_found", "No such order.");
  return { ...order, user_id: owner.userId };
}

export const listOrders: AppRouteHandler<AdminListOrdersRoute> = async (c) => {
  const query = c.req.valid("query");
  const { db } = c.var;
  const conditions: (SQL | undefined)[] = [
    query.status ? eq(orders.status, query.status) : undefined,
    query.user_id ? eq(orders.userId, query.user_id) : undefined,
    query.from ? gte(orders.createdAt, new Date(query.from).toISOString()) : undefined,
    query.to ? lt(orders.createdAt, new Date(query.to).toISOString()) : undefined,
    query.cursor ? afterCursor(NEWEST_FIRST, decodeCursor(query.cursor, NEWEST_FIRST.length)) : undefined,
  ];
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(query.limit + 1);
  const { page, nextCursor } = paginate(rows, query.limit, (order) => [order.createdAt, order.id]);
  const views = await toOrderViews(db, page);
  return c.json(
    { data: views.map((view, index) => ({ ...view, user_id: page[index]?.userId ?? "" })), next_cursor: nextCursor },
    200,
  );
};

export const getOrder: AppRouteHandler<AdminGetOrderRoute> = async (c) => {
  return c.json(await adminView(c, c.req.valid("param").id), 200);
};

export const transition: AppRouteHandler<TransitionRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { to, note } = c.req.valid("json");
  const { db, auth, stock, audit } = c.var;
  const before = await adminView(c, id);
  const moved = await transitionOrder(db, id, to, { actorId: auth.user.id, reason: note ?? null });
  if (!moved.ok) throw invalidTransition(moved.current, to);
  if (to === "cancelled") {
    const productIds = await orderProductIds(db, id);
    // Unpaid: the stock is still reserved. Paid: it was sold, so it goes back on hand.
    if (moved.from === "pending" || moved.from === "awaiting_payment") await stock.releaseAll(id, productIds);
    else await stock.restockAll(id, productIds);
  }
  await audit.record({
    action: "order.transitioned",
    actorId: auth.user.id,
    targetType: "order",
    targetId: id,
    details: { from: before.status, to, note: note ?? null },
  });
  return c.json(await adminView(c, id), 200);
};
