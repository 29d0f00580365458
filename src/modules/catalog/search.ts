/**
 * Product search and listing. User text never reaches FTS5 as syntax: it is
 * split into words, and each word is passed as a quoted prefix term, bound as
 * a parameter, so `"`, `*`, `OR`, `NEAR(` and the like are just characters.
 */
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { SortKey } from "../../platform/http/pagination";
import { categories, productCategories, products, productVariants } from "./tables";

const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 64;

export const PRODUCT_SORTS = ["relevance", "price", "-price", "name", "-created_at"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** The words of a search, lower-cased: letters and digits of any script. */
export function searchTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .slice(0, MAX_TERMS)
    .map((term) => term.slice(0, MAX_TERM_LENGTH));
}

/** An FTS5 query where every word is a quoted prefix term, all required. */
function ftsQuery(terms: string[]): string {
  return terms.map((term) => `"${term.replace(/"/g, '""')}"*`).join(" ");
}

/**
 * The outer query's product, spelled out: drizzle leaves a column unqualified in a query over one table, and inside
 * a subquery an unqualified `id` would name the subquery's own row.
 */
export const OUTER_PRODUCT_ID = sql.raw(`"products"."id"`);

/** A variant of the product in the outer query that is for sale (active, not deleted), with more conditions. */
function liveVariant(...conditions: (SQL | undefined)[]): SQL {
  return sql`exists (select 1 from ${productVariants} where ${and(
    sql`${productVariants.productId} = ${OUTER_PRODUCT_ID}`,
    eq(productVariants.isActive, true),
    isNull(productVariants.deletedAt),
    ...conditions,
  )})`;
}

function livePrice(aggregate: "min" | "max"): SQL<number | null> {
  return sql<
    number | null
  >`(select ${sql.raw(aggregate)}(${productVariants.priceAmount}) from ${productVariants} where ${and(
    sql`${productVariants.productId} = ${OUTER_PRODUCT_ID}`,
    eq(productVariants.isActive, true),
    isNull(productVariants.deletedAt),
  )})`;
}

/** The lowest and highest price of the product's variants for sale, and whether one of them has stock. */
export const priceMin = livePrice("min");
export const priceMax = livePrice("max");
export const anyInStock = sql<number>`${liveVariant(sql`${productVariants.stockAvailable} > 0`)}`;

/**
 * Relevance as a weighted count of where each word appears (name 3, a variant's sku or option values 2,
 * description 1). Unlike bm25 it depends only on the product itself, so a cursor over relevance stays valid while
 * other products are added.
 */
export function relevanceOf(terms: string[]): SQL<number> {
  const parts = terms.map(
    (term) =>
      sql`(3 * (instr(lower(${products.name}), ${term}) > 0) + 2 * ${liveVariant(sql`instr(lower(${productVariants.sku} || ' ' || ${productVariants.optionValues}), ${term}) > 0`)} + (instr(lower(${products.description}), ${term}) > 0))`,
  );
  return sql<number>`(${sql.join(parts, sql` + `)})`;
}

export function matchesSearch(terms: string[]): SQL {
  return sql`${products.seq} in (select rowid from products_fts where products_fts match ${ftsQuery(terms)})`;
}

/** Products in the category with this slug or in any category below it. */
function inCategoryTree(slug: string): SQL {
  const root = sql`(select root.path from ${categories} as root where root.slug = ${slug})`;
  return sql`exists (select 1 from ${productCategories} join ${categories} on ${categories.id} = ${productCategories.categoryId} where ${productCategories.productId} = ${OUTER_PRODUCT_ID} and ${withinSubtree(sql`${categories.path}`, root)})`;
}

/**
 * `path` is `root`'s or below it, as a range the path index answers: every character of a path (`/`, `_`, digits,
 * lower-case letters: ids are the app's base36 or the migration's hex) sorts before `~`, so the paths from `root`
 * up to `root || '~'` are exactly those that start with it.
 */
export function withinSubtree(path: SQL, root: SQL): SQL {
  return sql`(${path} >= ${root} and ${path} < ${root} || '~')`;
}

export interface CatalogFilters {
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
}

/**
 * Only what a shopper may see: active, not deleted, with a variant for sale. Price and stock filters hold for one
 * variant together: "in stock under 20" finds a product whose variant under 20 is in stock.
 */
export function visibleProducts(filters: CatalogFilters): SQL | undefined {
  return and(
    eq(products.isActive, true),
    isNull(products.deletedAt),
    liveVariant(
      filters.minPrice !== undefined ? sql`${productVariants.priceAmount} >= ${filters.minPrice}` : undefined,
      filters.maxPrice !== undefined ? sql`${productVariants.priceAmount} <= ${filters.maxPrice}` : undefined,
      filters.inStock ? sql`${productVariants.stockAvailable} > 0` : undefined,
    ),
    filters.category ? inCategoryTree(filters.category) : undefined,
  );
}

/** The order of each sort, ties broken by id; relevance needs the search terms. */
export function sortKeys(sort: ProductSort, relevance: SQL<number> | undefined): SortKey[] {
  const byId = { column: products.id, direction: "asc" } as const;
  switch (sort) {
    case "relevance":
      return [{ column: relevance ?? sql<number>`0`, direction: "desc" }, byId];
    case "price":
      return [{ column: priceMin, direction: "asc" }, byId];
    case "-price":
      return [{ column: priceMax, direction: "desc" }, byId];
    case "name":
      return [{ column: products.name, direction: "asc" }, byId];
    case "-created_at":
      return [{ column: products.createdAt, direction: "desc" }, byId];
  }
}
