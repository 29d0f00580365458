import { and, eq } from "drizzle-orm";
import { inBackground } from "../../platform/http/background";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { checkout as placeOrder } from "./checkout";
import type { CancelOrderRoute, CheckoutRoute, GetOrderRoute, GetPaymentRoute, ListOrdersRoute } from "./orders.routes";
import { releaseOrder } from "./release";
import { orderServicesOf } from "./services";
import { invalidTransition } from "./status";
import { orders } from "./tables";
import { loadOrder, orderDetailQueries, orderQuery, ordersDetailQueries, toOrderView, toOrderViews } from "./views";

const NEWEST_FIRST = newestFirst(orders.createdAt, orders.id);

const orderNotFound = () => new ApiError(404, "not_found", "No such order.");

export const checkout: AppRouteHandler<CheckoutRoute> = async (c) => {
  const order = await placeOrder(orderServicesOf(c), c.var.cartAccess, c.req.valid("json"));
  c.header("Location", `/api/orders/${order.id}`);
  return c.json(order, 201);
};

export const listOrders: AppRouteHandler<ListOrdersRoute> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const { db, session } = c.var;
  const mine = and(eq(orders.userId, session.userId), NEWEST_FIRST.after(cursor));
  // The page, and the items and events of the orders on it (selected again by id), in one round trip.
  const [, rows, items, events] = await session.check(
    db
      .select()
      .from(orders)
      .where(mine)
      .orderBy(...NEWEST_FIRST.orderBy)
      .limit(limit + 1),
    ...ordersDetailQueries(
      db,
      db
        .select({ id: orders.id })
        .from(orders)
        .where(mine)
        .orderBy(...NEWEST_FIRST.orderBy)
        .limit(limit + 1),
    ),
  );
  const { page, nextCursor } = paginate(rows, limit, (order) => [order.createdAt, order.id]);
  return c.json({ data: toOrderViews(page, items, events), next_cursor: nextCursor }, 200);
};

export const getOrder: AppRouteHandler<GetOrderRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, session } = c.var;
  const [, [order], items, events] = await session.check(
    orderQuery(db, id, session.userId),
    ...orderDetailQueries(db, id),
  );
  if (!order) throw orderNotFound();
  return c.json(toOrderView(order, items, events), 200);
};

export const cancelOrder: AppRouteHandler<CancelOrderRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, session } = c.var;
  const [auth, [order]] = await session.check(orderQuery(db, id, session.userId));
  if (!order) throw orderNotFound();
  const released = await releaseOrder(orderServicesOf(c), order.id, {
    to: "cancelled",
    from: ["awaiting_payment"],
    actor: "shopper",
    actorId: auth.user.id,
    reason: "cancelled_by_customer",
    cancelPayment: true,
  });
  if (!released.moved.ok) throw invalidTransition(released.moved.current, "cancelled");
  if (released.cancelPayment) inBackground(c, "cancel_payment", released.cancelPayment);
  const cancelled = await loadOrder(db, id, auth.user.id);
  if (!cancelled) throw orderNotFound();
  return c.json(cancelled, 200);
};

export const getPayment: AppRouteHandler<GetPaymentRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, session } = c.var;
  const [, [order]] = await session.check(orderQuery(db, id, session.userId));
  if (!order) throw orderNotFound();
  return c.json(
    {
      order_id: order.id,
      order_status: order.status,
      provider: order.paymentProvider,
      intent_id: order.paymentIntentId,
      status: order.paymentStatus,
      amount: order.totalAmount,
      refunded_amount: order.refundedAmount,
      currency: order.currency,
    },
    200,
  );
};
