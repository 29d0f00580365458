import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const products = sqliteTable(
  "products",
  {
    /**
     * Internal, stable row number: the full-text index refers to products by
     * it. Never exposed; the API uses `id`.
     */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Integer, in the smallest unit of `currency`. */
    priceAmount: integer("price_amount").notNull(),
    currency: text("currency").notNull(),
    category: text("category"),
    imageUrl: text("image_url"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    /** Units on hand when the product was created: the inventory Durable Object starts from it, once. */
    initialStock: integer("initial_stock").notNull().default(0),
    /**
     * Mirrored from the product's inventory Durable Object (starting at
     * `initial_stock`); the catalog reads it, correctness never depends on it.
     */
    stockAvailable: integer("stock_available").notNull().default(0),
    stockVersion: integer("stock_version").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deletedAt: text("deleted_at"),
  },
  (table) => [
    uniqueIndex("products_id_unique").on(table.id),
    uniqueIndex("products_sku_unique").on(sql`lower(${table.sku})`),
    index("products_listing_idx").on(table.isActive, table.deletedAt, table.createdAt, table.id),
    index("products_category_idx").on(table.category, table.priceAmount),
    index("products_price_idx").on(table.priceAmount, table.id),
    check("products_price_positive", sql`${table.priceAmount} > 0`),
    check("products_stock_non_negative", sql`${table.stockAvailable} >= 0`),
    check("products_initial_stock_non_negative", sql`${table.initialStock} >= 0`),
  ],
);

export type ProductRow = typeof products.$inferSelect;
