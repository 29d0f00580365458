/**
 * The legacy shop the workers tier runs the new code against (started by test/global-setup.ts): the shop of
 * `writeLegacyData` at migration 0008, plus one more unpaid order written as the old app wrote one (so that two
 * orders hold live reservations when the schema changes: one to be paid, one to fail, the second over two
 * products), then migrated to the latest schema as `npm run db:migrate` does on deploy. Returns what the shop held
 * in the old schema's terms, as plain JSON (`provide` serializes it).
 */
import { createClient } from "@libsql/client";
import type { ProvidedContext } from "vitest";
import {
  createLegacyDatabase,
  insert,
  type LegacyData,
  type LegacyMovement,
  type LegacyOrder,
  type LegacyOrderEvent,
  type LegacyOrderItem,
  type LegacyProduct,
  migrateToLatest,
} from "./legacy-database.ts";

type LegacyShop = ProvidedContext["legacyShop"];

/** Fills the database at `url` with the legacy shop, migrates it to the latest schema and describes it. */
export async function createLegacyShop(url: string): Promise<LegacyShop> {
  const data = await createLegacyDatabase(url);
  const written = await writeSecondUnpaidOrder(url, data);
  await migrateToLatest(url);
  return describeShop(written);
}

function byId<T extends { id: string }>(rows: readonly T[], id: string): T {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) throw new Error(`the legacy shop has no ${id}`);
  return row;
}

/**
 * Alice's second order, awaiting its payment: 3 Earl Grey (whose object also holds her paid order, settled) and
 * 2 cups. Written as the old checkout and stock objects left it: the order, its lines and events, one `reserve`
 * per product keyed by the order id, and each product's mirror lowered by what it reserved.
 */
async function writeSecondUnpaidOrder(url: string, data: LegacyData): Promise<LegacyData> {
  const alice = byId(data.users, "usr_00000000000000000000alice");
  const lines: [LegacyProduct, number][] = [
    [byId(data.products, "prd_000000000000000000earlgrey"), 3],
    [byId(data.products, "prd_000000000000000000000cups"), 2],
  ];
  const subtotal = lines.reduce((sum, [product, quantity]) => sum + product.price_amount * quantity, 0);
  const createdAt = "2025-03-04T12:00:00.000Z";
  const order: LegacyOrder = {
    id: "ord_0000000000000000000second",
    user_id: alice.id,
    status: "awaiting_payment",
    subtotal_amount: subtotal,
    total_amount: subtotal,
    refunded_amount: 0,
    currency: "usd",
    shipping_address: byId(data.orders, "ord_000000000000000000000paid").shipping_address,
    note: null,
    payment_provider: "stripe",
    payment_intent_id: "pi_3SecondSecondSecond",
    expires_at: "2099-01-01T00:45:00.000Z",
    paid_at: null,
    created_at: createdAt,
    updated_at: createdAt,
    payment_status: "requires_payment_method",
    attention: null,
    reservation_key: "ord_0000000000000000000second",
    received_amount: null,
  };
  const items: LegacyOrderItem[] = lines.map(([product, quantity], index) => ({
    id: `oit_00000000000000000000010${index}`,
    order_id: order.id,
    product_id: product.id,
    name: product.name,
    sku: product.sku,
    unit_price_amount: product.price_amount,
    quantity,
    line_amount: product.price_amount * quantity,
  }));
  const events: LegacyOrderEvent[] = [
    { from_status: null, to_status: "pending", actor_id: alice.id },
    { from_status: "pending", to_status: "awaiting_payment", actor_id: null },
  ].map((event, index) => ({
    id: `oev_00000000000000000000010${index}`,
    order_id: order.id,
    reason: null,
    at: createdAt,
    ...event,
  }));
  const movements: LegacyMovement[] = lines.map(([product, quantity], index) => ({
    id: `mov_00000000000000000000010${index}`,
    product_id: product.id,
    version: product.stock_version + 1,
    reason: "reserve",
    on_hand_delta: 0,
    reserved_delta: quantity,
    order_id: order.id,
    actor_id: null,
    note: null,
    at: createdAt,
  }));
  const products = data.products.map((product) => {
    const reserved = lines.find(([line]) => line.id === product.id)?.[1];
    return reserved === undefined
      ? product
      : { ...product, stock_available: product.stock_available - reserved, stock_version: product.stock_version + 1 };
  });

  const client = createClient({ url });
  try {
    await client.batch(
      [
        insert("orders", order),
        ...items.map((row) => insert("order_items", row)),
        ...events.map((row) => insert("order_events", row)),
        ...movements.map((row) => insert("inventory_movements", row)),
        ...lines.map(([product, quantity]) => ({
          sql: "UPDATE products SET stock_available = stock_available - ?, stock_version = stock_version + 1 WHERE id = ?",
          args: [quantity, product.id],
        })),
      ],
      "write",
    );
  } finally {
    client.close();
  }
  return {
    ...data,
    products,
    orders: [...data.orders, order],
    orderItems: [...data.orderItems, ...items],
    orderEvents: [...data.orderEvents, ...events],
    inventoryMovements: [...data.inventoryMovements, ...movements],
  };
}

function describeShop(data: LegacyData): LegacyShop {
  const cartOwners = new Map(data.carts.map((cart) => [cart.id, cart.user_id]));
  return {
    products: data.products.map((product) => ({
      id: product.id,
      sku: product.sku,
      name: product.name,
      priceAmount: product.price_amount,
      currency: product.currency,
      forSale: product.is_active === 1 && product.deleted_at === null,
      stockAvailable: product.stock_available,
    })),
    orders: data.orders.map((order) => ({
      id: order.id,
      userId: order.user_id,
      status: order.status,
      reservationKey: order.reservation_key,
      paymentIntentId: order.payment_intent_id,
      totalAmount: order.total_amount,
      currency: order.currency,
      items: data.orderItems
        .filter((item) => item.order_id === order.id)
        .map((item) => ({ productId: item.product_id, quantity: item.quantity })),
    })),
    cartItems: data.cartItems.map((item) => ({
      id: item.id,
      userId: cartOwners.get(item.cart_id) ?? "",
      productId: item.product_id,
      quantity: item.quantity,
    })),
    movements: data.inventoryMovements
      .map((movement) => ({
        productId: movement.product_id,
        version: movement.version,
        reason: movement.reason,
        onHandDelta: movement.on_hand_delta,
        reservedDelta: movement.reserved_delta,
        orderId: movement.order_id,
        actorId: movement.actor_id,
        note: movement.note,
      }))
      .sort((a, b) => a.productId.localeCompare(b.productId) || a.version - b.version),
  };
}
