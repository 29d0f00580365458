import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * What a shopper browses: a name, a description, options, and one or more variants that carry the sku, the price
 * and the stock. Whether a product is for sale is this row (active, not deleted) and at least one live variant.
 */
export const products = sqliteTable(
  "products",
  {
    /**
     * Internal, stable row number: the full-text index refers to products by
     * it. Never exposed; the API uses `id`.
     */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    currency: text("currency").notNull(),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deletedAt: text("deleted_at"),
  },
  (table) => [
    uniqueIndex("products_id_unique").on(table.id),
    index("products_listing_idx").on(table.isActive, table.deletedAt, table.createdAt, table.id),
  ],
);

export type ProductRow = typeof products.$inferSelect;

/** A product's options ("Size": S, M, L), in display order; a variant picks one value of each. */
export const productOptions = sqliteTable(
  "product_options",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** The option's values, in display order. */
    values: text("values", { mode: "json" }).$type<string[]>().notNull(),
  },
  (table) => [
    uniqueIndex("product_options_position_unique").on(table.productId, table.position),
    uniqueIndex("product_options_name_unique").on(table.productId, sql`lower(${table.name})`),
  ],
);

export type ProductOptionRow = typeof productOptions.$inferSelect;

/**
 * A stock-keeping unit: one combination of the product's option values, with its own sku, price and stock (one
 * inventory Durable Object per variant, addressed by the variant's id). A product migrated from before variants
 * has one default variant whose id is the product's id, so the stock object it already had keeps serving it.
 */
export const productVariants = sqliteTable(
  "product_variants",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    sku: text("sku").notNull(),
    /** The option values joined with " / " ("M / Red"), or "Default" for a product without options. */
    title: text("title").notNull(),
    /** One value per option, in the options' order (JSON array; `[]` for the default variant). */
    optionValues: text("option_values", { mode: "json" }).$type<string[]>().notNull(),
    position: integer("position").notNull().default(0),
    /** Integer, in the smallest unit of the product's currency. */
    priceAmount: integer("price_amount").notNull(),
    /** The "was" price shown struck through; above the price when set. */
    compareAtAmount: integer("compare_at_amount"),
    weightGrams: integer("weight_grams"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    /** Units on hand when the variant was created: its inventory Durable Object starts from it, once. */
    initialStock: integer("initial_stock").notNull().default(0),
    /**
     * Mirrored from the variant's inventory Durable Object (starting at `initial_stock`); the catalog reads it,
     * correctness never depends on it.
     */
    stockAvailable: integer("stock_available").notNull().default(0),
    stockVersion: integer("stock_version").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    /** Set instead of deleting a variant that orders refer to. */
    deletedAt: text("deleted_at"),
  },
  (table) => [
    uniqueIndex("product_variants_sku_unique").on(sql`lower(${table.sku})`),
    uniqueIndex("product_variants_combination_unique")
      .on(table.productId, table.optionValues)
      .where(sql`${table.deletedAt} is null`),
    index("product_variants_product_idx").on(table.productId, table.isActive, table.priceAmount),
    check("product_variants_price_positive", sql`${table.priceAmount} > 0`),
    check(
      "product_variants_compare_at_above_price",
      sql`${table.compareAtAmount} is null or ${table.compareAtAmount} > ${table.priceAmount}`,
    ),
    check("product_variants_weight_non_negative", sql`${table.weightGrams} is null or ${table.weightGrams} >= 0`),
    check("product_variants_stock_non_negative", sql`${table.stockAvailable} >= 0`),
    check("product_variants_initial_stock_non_negative", sql`${table.initialStock} >= 0`),
  ],
);

export type VariantRow = typeof productVariants.$inferSelect;

/** Ordered images of a product, each optionally shown for one variant. */
export const productImages = sqliteTable(
  "product_images",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    variantId: text("variant_id"),
    url: text("url").notNull(),
    alt: text("alt").notNull().default(""),
    position: integer("position").notNull(),
  },
  (table) => [uniqueIndex("product_images_position_unique").on(table.productId, table.position)],
);

export type ProductImageRow = typeof productImages.$inferSelect;

/**
 * A tree of categories (depth at most 5, no cycles: triggers in migration 0009 refuse any write that would break
 * either, inside the writing statement, so concurrent moves cannot build a cycle between them; they also keep
 * `path` and `depth`, and refuse to delete a category that still has children or products).
 */
export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    parentId: text("parent_id"),
    position: integer("position").notNull().default(0),
    /** `/root id/…/own id/`, kept by the triggers: descendants are the rows whose path starts with this one's. */
    path: text("path").notNull().default(""),
    /** 1 for a root, kept by the triggers. */
    depth: integer("depth").notNull().default(1),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("categories_slug_unique").on(table.slug),
    index("categories_parent_idx").on(table.parentId, table.position),
    index("categories_path_idx").on(table.path),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;

/** Which categories a product is in (any number). */
export const productCategories = sqliteTable(
  "product_categories",
  {
    productId: text("product_id").notNull(),
    categoryId: text("category_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.productId, table.categoryId] }),
    index("product_categories_category_idx").on(table.categoryId, table.productId),
  ],
);
