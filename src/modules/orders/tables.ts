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
    /** The shopper's account; null for a guest's order. */
    userId: text("user_id").references(() => users.id),
    /** Where the order's emails go: the account's address at checkout, or the guest's. Null on older orders. */
    email: text("email"),
    /** A guest's order: the cart it was checked out from (one open order per guest cart). */
    guestCartId: text("guest_cart_id"),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    /**
     * Integers in the smallest unit of `currency`. total = subtotal − discount + shipping (+ tax when prices
     * exclude it): a check constraint holds the identity on every row.
     */
    subtotalAmount: integer("subtotal_amount").notNull(),
    discountAmount: integer("discount_amount").notNull().default(0),
    shippingAmount: integer("shipping_amount").notNull().default(0),
    /** The tax in the order (lines and shipping): added to the total, or already inside the prices. */
    taxAmount: integer("tax_amount").notNull().default(0),
    pricesIncludeTax: integer("prices_include_tax", { mode: "boolean" }).notNull().default(false),
    totalAmount: integer("total_amount").notNull(),
    refundedAmount: integer("refunded_amount").notNull().default(0),
    /** The tax given back by refunds so far, in proportion to the amount refunded. */
    refundedTaxAmount: integer("refunded_tax_amount").notNull().default(0),
    /** The code applied, as the shopper typed it (its id in discount_redemptions). */
    discountCode: text("discount_code"),
    shippingMethodId: text("shipping_method_id"),
    /** The method's name when bought. */
    shippingMethodName: text("shipping_method_name"),
    /** The carrier's tracking reference, set by an admin when the order ships. */
    trackingReference: text("tracking_reference"),
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
    index("orders_guest_cart_idx").on(table.guestCartId),
    index("orders_status_expires_idx").on(table.status, table.expiresAt),
    index("orders_created_idx").on(table.createdAt, table.id),
    index("orders_paid_at_idx").on(table.paidAt),
    index("orders_attention_idx").on(table.attention),
    uniqueIndex("orders_payment_intent_unique").on(table.paymentIntentId),
    check(
      "orders_amounts_non_negative",
      sql`${table.subtotalAmount} >= 0 and ${table.totalAmount} >= 0 and ${table.discountAmount} >= 0 and ${table.shippingAmount} >= 0 and ${table.taxAmount} >= 0 and ${table.discountAmount} <= ${table.subtotalAmount}`,
    ),
    check(
      "orders_total_identity",
      sql`${table.totalAmount} = ${table.subtotalAmount} - ${table.discountAmount} + ${table.shippingAmount} + (case when ${table.pricesIncludeTax} then 0 else ${table.taxAmount} end)`,
    ),
    check(
      "orders_owner",
      sql`${table.userId} is not null or (${table.email} is not null and ${table.guestCartId} is not null)`,
    ),
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
    /** This line's share of the order's discount. */
    discountAmount: integer("discount_amount").notNull().default(0),
    /** The tax on this line after its discount (inside line_amount when prices include tax). */
    taxAmount: integer("tax_amount").notNull().default(0),
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

/** The tax of an order, line by line and on shipping, as computed at checkout. */
export const orderTaxLines = sqliteTable(
  "order_tax_lines",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    /** The order line taxed; null for shipping. */
    orderItemId: text("order_item_id"),
    /** The rate's name ("VAT", "CA sales tax"). */
    name: text("name").notNull(),
    country: text("country").notNull(),
    region: text("region"),
    /** Basis points: 2000 is 20 %. */
    rateBps: integer("rate_bps").notNull(),
    /** What the rate applied to (after discount). */
    taxableAmount: integer("taxable_amount").notNull(),
    amount: integer("amount").notNull(),
  },
  (table) => [
    index("order_tax_lines_order_idx").on(table.orderId),
    check(
      "order_tax_lines_amounts",
      sql`${table.taxableAmount} >= 0 and ${table.amount} >= 0 and ${table.rateBps} >= 0`,
    ),
  ],
);
