import { and, asc, eq, inArray, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { type CartOwner, ownerCartId } from "../cart";
import type { OrderView } from "./schemas";
import { type orderItems as OrderItemsTable, orderEvents, orderItems, orders } from "./tables";

type OrderRow = typeof orders.$inferSelect;
type OrderItemRow = typeof OrderItemsTable.$inferSelect;
type OrderEventRow = typeof orderEvents.$inferSelect;

export function toOrderView(order: OrderRow, items: OrderItemRow[], events: OrderEventRow[]): OrderView {
  return {
    id: order.id,
    status: order.status,
    items: items.map((item) => ({
      product_id: item.productId,
      variant_id: item.variantId,
      name: item.name,
      variant_title: item.variantTitle,
      sku: item.sku,
      unit_price_amount: item.unitPriceAmount,
      quantity: item.quantity,
      line_amount: item.lineAmount,
      discount_amount: item.discountAmount,
      tax_amount: item.taxAmount,
    })),
    subtotal_amount: order.subtotalAmount,
    discount_code: order.discountCode,
    discount_amount: order.discountAmount,
    shipping_method:
      order.shippingMethodId && order.shippingMethodName
        ? { id: order.shippingMethodId, name: order.shippingMethodName }
        : null,
    shipping_amount: order.shippingAmount,
    tax_amount: order.taxAmount,
    prices_include_tax: order.pricesIncludeTax,
    total_amount: order.totalAmount,
    refunded_amount: order.refundedAmount,
    refunded_tax_amount: order.refundedTaxAmount,
    currency: order.currency,
    shipping_address: order.shippingAddress,
    note: order.note,
    tracking_reference: order.trackingReference,
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

/** The order row, only if it belongs to `userId` (when given), as a query: another user's order does not exist. */
export function orderQuery(db: Database, orderId: string, userId?: string) {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), userId ? eq(orders.userId, userId) : undefined))
    .limit(1);
}

/** The order row, only if it is this shopper's: the account's, or the guest cart's it was checked out from. */
export function shopperOrderQuery(db: Database, orderId: string, owner: CartOwner) {
  const mine = owner.kind === "user" ? eq(orders.userId, owner.userId) : eq(orders.guestCartId, ownerCartId(owner));
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), mine))
    .limit(1);
}

/** An order's lines and history, as queries for the batch that reads the order. */
export function orderDetailQueries(db: Database, orderId: string) {
  return [
    db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, orderId))
      .orderBy(asc(orderItems.productId), asc(orderItems.variantId)),
    db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, orderId))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
  ] as const;
}

/** One order with its items and history, in one round trip; scoped to `userId` when given. */
export async function loadOrder(db: Database, orderId: string, userId?: string): Promise<OrderView | undefined> {
  const [[order], items, events] = await db.batch([
    orderQuery(db, orderId, userId),
    ...orderDetailQueries(db, orderId),
  ]);
  return order ? toOrderView(order, items, events) : undefined;
}

async function orderVariantIds(db: Database, orderId: string): Promise<string[]> {
  const rows = await db
    .select({ variantId: orderItems.variantId })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId));
  return rows.map((row) => row.variantId);
}

/** The items and events of the orders `ids` selects (a list or a subquery), as queries for one batch. */
export function ordersDetailQueries(db: Database, ids: string[] | SQLWrapper) {
  return [
    db.select().from(orderItems).where(inArray(orderItems.orderId, ids)),
    db
      .select()
      .from(orderEvents)
      .where(inArray(orderEvents.orderId, ids))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
  ] as const;
}

/** Views of several orders from their rows and the results of `ordersDetailQueries`. */
export function toOrderViews(rows: OrderRow[], items: OrderItemRow[], events: OrderEventRow[]): OrderView[] {
  return rows.map((order) =>
    toOrderView(
      order,
      items.filter((item) => item.orderId === order.id),
      events.filter((event) => event.orderId === order.id),
    ),
  );
}

/** Views of order rows read on their own: their items and events in one round trip. */
export async function loadOrderViews(db: Database, rows: OrderRow[]): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const [items, events] = await db.batch(
    ordersDetailQueries(
      db,
      rows.map((order) => order.id),
    ),
  );
  return toOrderViews(rows, items, events);
}

/** Where an order's stock is held: the reservation key it uses, and the variants (each one stock object). */
export async function orderStock(db: Database, order: Pick<OrderRow, "id" | "reservationKey">) {
  return { key: order.reservationKey ?? order.id, variantIds: await orderVariantIds(db, order.id) };
}
