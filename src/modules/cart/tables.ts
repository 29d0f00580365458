import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/tables/users";

/**
 * A cart belongs to a signed-in user or, for a guest, to whoever holds its cart token (only the token's SHA-256 is
 * stored). It also remembers what the shopper chose for pricing: the address's country and region (shipping
 * options and tax), the shipping method, and one discount code.
 */
export const carts = sqliteTable(
  "carts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").references(() => users.id),
    /** Guest carts: SHA-256 of the cart token, base64url. */
    tokenHash: text("token_hash"),
    /** Guest carts: when the cart and its token stop working. */
    expiresAt: text("expires_at"),
    country: text("country"),
    region: text("region"),
    shippingMethodId: text("shipping_method_id"),
    discountCodeId: text("discount_code_id"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("carts_user_unique").on(table.userId),
    uniqueIndex("carts_token_unique").on(table.tokenHash),
    index("carts_expires_idx").on(table.expiresAt),
    check(
      "carts_one_owner",
      sql`(${table.userId} is null) <> (${table.tokenHash} is null) and (${table.tokenHash} is null) = (${table.expiresAt} is null)`,
    ),
  ],
);

/** Lines hold a variant and a quantity, never a price: totals are always computed from current prices. */
export const cartItems = sqliteTable(
  "cart_items",
  {
    id: text("id").primaryKey(),
    cartId: text("cart_id")
      .notNull()
      .references(() => carts.id),
    variantId: text("variant_id").notNull(),
    quantity: integer("quantity").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("cart_items_cart_variant_unique").on(table.cartId, table.variantId),
    check("cart_items_quantity_positive", sql`${table.quantity} > 0`),
  ],
);

export const wishlistItems = sqliteTable(
  "wishlist_items",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    productId: text("product_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.productId] }),
    index("wishlist_items_user_created_idx").on(table.userId, table.createdAt, table.productId),
  ],
);
