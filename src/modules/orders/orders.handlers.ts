import { and, desc, eq } from "drizzle-orm";
import { inBackground } from "../../platform/http/background";
import { runIdempotently } from "../../platform/http/idempotency";
import { afterCursor, decodeCursor, paginate, type SortKey } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { checkout as runCheckout } from "./checkout";
import type { CancelOrderRoute, CheckoutRoute, GetOrderRoute, GetPaymentRoute, ListOrdersRoute } from "./orders.routes";
import { invalidTransition, transitionOrder } from "./status";
import { orders } from "./tables";
import { findOwnOrder, loadOrder, orderStock, toOrderViews } from "./views";

const NEWEST_FIRST: SortKey[] = [
  { column: orders.createdAt, direction: "desc" },
  { column: orders.id, direction: "desc" },
];

const orderNotFound = () => new ApiError(404, "not_found", "No such order.");

export const checkout: AppRouteHandler<CheckoutRoute> = async (c) => {
  const key = c.req.valid("header")["idempotency-key"];
  const body = c.req.valid("json");
  const result = await runIdempotently(c, key, body, async () => {
    const order = await runCheckout(c, body);
    return { status: 201, body: order };
  });
  c.header("Location", `/api/orders/${result.body.id}`);
  return c.json(result.body, 201);
};

export const listOrders: AppRouteHandler<ListOrdersRoute> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const { db, auth } = c.var;
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.userId, auth.user.id),
        cursor ? afterCursor(NEWEST_FIRST, decodeCursor(cursor, NEWEST_FIRST.length)) : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const { page, nextCursor } = paginate(rows, limit, (order) => [order.createdAt, order.id]);
  return c.json({ data: await toOrderViews(db, page), next_cursor: nextCursor }, 200);
};

export const getOrder: AppRouteHandler<GetOrderRoute> = async (c) => {
  const order = await loadOrder(c.var.db, c.req.valid("param").id, c.var.auth.user.id);
  if (!order) throw orderNotFound();
  return c.json(order, 200);
};

export const cancelOrder: AppRouteHandler<CancelOrderRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, auth, stock, payments } = c.var;
  const order = await findOwnOrder(db, id, auth.user.id);
  if (!order) throw orderNotFound();
  const moved = await transitionOrder(db, id, "cancelled", {
    from: ["awaiting_payment"],
    actorId: auth.user.id,
    reason: "cancelled_by_customer",
  });
  if (!moved.ok) throw invalidTransition(moved.current, "cancelled");
  const { key, productIds } = await orderStock(db, order);
  await stock.releaseAll(key, productIds);
  // A payment that still succeeds after this is handled as a late payment (stock again, or a refund).
  if (order.paymentIntentId) {
    const intentId = order.paymentIntentId;
    inBackground(c, "cancel_payment", () => payments.cancelPayment(intentId, id));
  }
  const cancelled = await loadOrder(db, id, auth.user.id);
  if (!cancelled) throw orderNotFound();
  return c.json(cancelled, 200);
};

export const getPayment: AppRouteHandler<GetPaymentRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const order = await findOwnOrder(c.var.db, id, c.var.auth.user.id);
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
