import type { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/tables/users";
import type { ShippingAddressSchema } from "./schemas";

export const ORDER_STATUSES = [
  "pending",
  "awaiting_payment",
  "paid",
  "processing",
  "shipped",
  "delivered",
  "rejected",
  "cancelled",
  "expired",
  "payment_failed",
  "refunded",
  "partially_refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Why an order waits for a person: paid a different amount than it costs, or the payment is disputed. */
export const ORDER_ATTENTION = ["payment_mismatch", "disputed"] as const;

export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    /** Integers in the smallest unit of `currency`. */
    subtotalAmount: integer("subtotal_amount").notNull(),
    totalAmount: integer("total_amount").notNull(),
    refundedAmount: integer("refunded_amount").notNull().default(0),
    currency: text("currency").notNull(),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<ShippingAddress>().notNull(),
    note: text("note"),
    paymentProvider: text("payment_provider"),
    paymentIntentId: text("payment_intent_id"),
    /** The processor's view of the payment, as its events report it (no card data is ever stored). */
    paymentStatus: text("payment_status"),
    /** What the processor reports it took (set by a success event, also when it does not match the total). */
    receivedAmount: integer("received_amount"),
    /** Set when an order needs a person: `payment_mismatch`, `disputed`. */
    attention: text("attention", { enum: ORDER_ATTENTION }),
    /**
     * The id the order's stock reservations are held under: the order id,
     * or a fresh one when a late payment had to reserve again.
     */
    reservationKey: text("reservation_key"),
    /** While awaiting payment: when the reservations lapse and the order expires. */
    expiresAt: text("expires_at"),
    paidAt: text("paid_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("orders_user_created_idx").on(table.userId, table.createdAt, table.id),
    index("orders_status_expires_idx").on(table.status, table.expiresAt),
    index("orders_created_idx").on(table.createdAt, table.id),
    index("orders_paid_at_idx").on(table.paidAt),
    index("orders_attention_idx").on(table.attention),
    uniqueIndex("orders_payment_intent_unique").on(table.paymentIntentId),
    check("orders_amounts_non_negative", sql`${table.subtotalAmount} >= 0 and ${table.totalAmount} >= 0`),
  ],
);

/** What was bought, as it was at checkout: later product changes never rewrite an order. */
export const orderItems = sqliteTable(
  "order_items",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    productId: text("product_id").notNull(),
    /** The variant bought: its stock object holds the order's reservation. */
    variantId: text("variant_id").notNull(),
    name: text("name").notNull(),
    /** The variant's title when bought ("M / Red", "Default"). */
    variantTitle: text("variant_title").notNull(),
    sku: text("sku").notNull(),
    unitPriceAmount: integer("unit_price_amount").notNull(),
    quantity: integer("quantity").notNull(),
    lineAmount: integer("line_amount").notNull(),
  },
  (table) => [
    index("order_items_order_idx").on(table.orderId),
    index("order_items_product_idx").on(table.productId),
    index("order_items_variant_idx").on(table.variantId),
  ],
);

export const orderEvents = sqliteTable(
  "order_events",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    fromStatus: text("from_status", { enum: ORDER_STATUSES }),
    toStatus: text("to_status", { enum: ORDER_STATUSES }).notNull(),
    /** Null when the system acted (expiry, payment events). */
    actorId: text("actor_id"),
    reason: text("reason"),
    at: text("at").notNull(),
  },
  (table) => [index("order_events_order_idx").on(table.orderId, table.at)],
);
