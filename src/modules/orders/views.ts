import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import type { OrderView } from "./schemas";
import { type orderItems as OrderItemsTable, orderEvents, orderItems, orders } from "./tables";

type OrderRow = typeof orders.$inferSelect;
type OrderItemRow = typeof OrderItemsTable.$inferSelect;
type OrderEventRow = typeof orderEvents.$inferSelect;

function toOrderView(order: OrderRow, items: OrderItemRow[], events: OrderEventRow[]): OrderView {
  return {
    id: order.id,
    status: order.status,
    items: items.map((item) => ({
      product_id: item.productId,
      name: item.name,
      sku: item.sku,
      unit_price_amount: item.unitPriceAmount,
      quantity: item.quantity,
      line_amount: item.lineAmount,
    })),
    subtotal_amount: order.subtotalAmount,
    total_amount: order.totalAmount,
    refunded_amount: order.refundedAmount,
    currency: order.currency,
    shipping_address: order.shippingAddress,
    note: order.note,
    expires_at: order.status === "awaiting_payment" ? order.expiresAt : null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    events: events.map((event) => ({
      from: event.fromStatus,
      to: event.toStatus,
      actor_id: event.actorId,
      reason: event.reason,
      at: event.at,
    })),
  };
}

/** The order row, only if it belongs to `userId`: another user's order does not exist. */
export async function findOwnOrder(db: Database, orderId: string, userId: string): Promise<OrderRow | undefined> {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
    .limit(1);
  return order;
}

/** One order with its items and history; scoped to `userId` when given (another user's order does not exist). */
export async function loadOrder(db: Database, orderId: string, userId?: string): Promise<OrderView | undefined> {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), userId ? eq(orders.userId, userId) : undefined))
    .limit(1);
  if (!order) return undefined;
  const [items, events] = await db.batch([
    db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.productId)),
    db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, orderId))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
  ]);
  return toOrderView(order, items, events);
}

async function orderProductIds(db: Database, orderId: string): Promise<string[]> {
  const rows = await db
    .select({ productId: orderItems.productId })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId));
  return rows.map((row) => row.productId);
}

/** Views of several orders, with their items and events fetched in one round trip. */
export async function toOrderViews(db: Database, rows: OrderRow[]): Promise<OrderView[]> {
  const ids = rows.map((order) => order.id);
  if (ids.length === 0) return [];
  const [items, events] = await db.batch([
    db.select().from(orderItems).where(inArray(orderItems.orderId, ids)),
    db
      .select()
      .from(orderEvents)
      .where(inArray(orderEvents.orderId, ids))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
  ]);
  return rows.map((order) =>
    toOrderView(
      order,
      items.filter((item) => item.orderId === order.id),
      events.filter((event) => event.orderId === order.id),
    ),
  );
}

/** Where an order's stock is held: the reservation key it uses, and its products. */
export async function orderStock(db: Database, order: Pick<OrderRow, "id" | "reservationKey">) {
  return { key: order.reservationKey ?? order.id, productIds: await orderProductIds(db, order.id) };
}
