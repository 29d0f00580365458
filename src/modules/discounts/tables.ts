import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const DISCOUNT_KINDS = ["percentage", "fixed", "free_shipping"] as const;
export const DISCOUNT_TARGETS = ["order", "products", "categories"] as const;

/**
 * Codes an admin creates. `value` is a percentage (1–100) or an amount in the smallest currency unit; a
 * free-shipping code has 0. `target_ids` lists the products or categories (with their subcategories) a code
 * applies to when `applies_to` is not `order`.
 */
export const discountCodes = sqliteTable(
  "discount_codes",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    kind: text("kind", { enum: DISCOUNT_KINDS }).notNull(),
    value: integer("value").notNull(),
    appliesTo: text("applies_to", { enum: DISCOUNT_TARGETS }).notNull().default("order"),
    targetIds: text("target_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    minimumSubtotalAmount: integer("minimum_subtotal_amount").notNull().default(0),
    startsAt: text("starts_at"),
    endsAt: text("ends_at"),
    /** How many orders may use the code at once; null: no limit. A use given back (order ended) counts no more. */
    usageLimit: integer("usage_limit"),
    /** Per customer: per email address (a guest's, or a signed-in account's), lower case, +tag removed. */
    perCustomerLimit: integer("per_customer_limit"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deletedAt: text("deleted_at"),
  },
  (table) => [
    uniqueIndex("discount_codes_code_unique").on(sql`lower(${table.code})`),
    check(
      "discount_codes_value",
      sql`(${table.kind} = 'percentage' and ${table.value} between 1 and 100) or (${table.kind} = 'fixed' and ${table.value} > 0) or (${table.kind} = 'free_shipping' and ${table.value} = 0)`,
    ),
    check(
      "discount_codes_limits",
      sql`${table.minimumSubtotalAmount} >= 0 and (${table.usageLimit} is null or ${table.usageLimit} > 0) and (${table.perCustomerLimit} is null or ${table.perCustomerLimit} > 0)`,
    ),
    check(
      "discount_codes_window",
      sql`${table.startsAt} is null or ${table.endsAt} is null or ${table.startsAt} < ${table.endsAt}`,
    ),
  ],
);

/**
 * One row per order that used a code, written in the same batch as the order. Triggers (migration 0010) refuse
 * the insert when the code is unusable or a limit is reached, inside the writing transaction, so concurrent
 * checkouts can never use a code more often than its limits; an order that ends unpaid, or is refunded in full,
 * gives its use back once (`released_at`).
 */
export const discountRedemptions = sqliteTable(
  "discount_redemptions",
  {
    id: text("id").primaryKey(),
    codeId: text("code_id")
      .notNull()
      .references(() => discountCodes.id),
    orderId: text("order_id").notNull(),
    /** `email:<address, lower case, +tag removed>`: a guest's address, or a signed-in account's. */
    customer: text("customer").notNull(),
    amount: integer("amount").notNull(),
    createdAt: text("created_at").notNull(),
    releasedAt: text("released_at"),
  },
  (table) => [
    uniqueIndex("discount_redemptions_order_unique").on(table.orderId),
    index("discount_redemptions_code_idx").on(table.codeId, table.releasedAt),
    index("discount_redemptions_customer_idx").on(table.codeId, table.customer, table.releasedAt),
  ],
);
