/**
 * Product search and listing. User text never reaches FTS5 as syntax: it is
 * split into words, and each word is passed as a quoted prefix term, bound as
 * a parameter, so `"`, `*`, `OR`, `NEAR(` and the like are just characters.
 */
import { and, eq, gt, gte, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import type { SortKey } from "../../platform/http/pagination";
import { type ProductRow, products } from "./tables";

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
 * Relevance as a weighted count of where each word appears (name 3, sku 2,
 * description 1). Unlike bm25 it depends only on the product itself, so a
 * cursor over relevance stays valid while other products are added.
 */
export function relevanceOf(terms: string[]): SQL<number> {
  const parts = terms.map(
    (term) =>
      sql`(3 * (instr(lower(${products.name}), ${term}) > 0) + 2 * (instr(lower(${products.sku}), ${term}) > 0) + (instr(lower(${products.description}), ${term}) > 0))`,
  );
  return sql<number>`(${sql.join(parts, sql` + `)})`;
}

export function matchesSearch(terms: string[]): SQL {
  return sql`${products.seq} in (select rowid from products_fts where products_fts match ${ftsQuery(terms)})`;
}

export interface CatalogFilters {
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
}

/** Only what a shopper may see: active, not deleted. */
export function visibleProducts(filters: CatalogFilters): SQL | undefined {
  return and(
    eq(products.isActive, true),
    isNull(products.deletedAt),
    filters.category ? eq(products.category, filters.category) : undefined,
    filters.minPrice !== undefined ? gte(products.priceAmount, filters.minPrice) : undefined,
    filters.maxPrice !== undefined ? lte(products.priceAmount, filters.maxPrice) : undefined,
    filters.inStock ? gt(products.stockAvailable, 0) : undefined,
  );
}

/** The order of each sort, ties broken by id; relevance needs the search terms. */
export function sortKeys(sort: ProductSort, relevance: SQL<number> | undefined): SortKey[] {
  const byId = { column: products.id, direction: "asc" } as const;
  switch (sort) {
    case "relevance":
      return [{ column: relevance ?? sql<number>`0`, direction: "desc" }, byId];
    case "price":
      return [{ column: products.priceAmount, direction: "asc" }, byId];
    case "-price":
      return [{ column: products.priceAmount, direction: "desc" }, byId];
    case "name":
      return [{ column: products.name, direction: "asc" }, byId];
    case "-created_at":
      return [{ column: products.createdAt, direction: "desc" }, byId];
  }
}

/** A product a shopper may see and buy, or undefined. */
/** The product if shoppers can see it, as a query to run alone or in a batch. */
export function visibleProductQuery(db: Database, id: string) {
  return db
    .select()
    .from(products)
    .where(and(eq(products.id, id), visibleProducts({})))
    .limit(1);
}

export async function findVisibleProduct(db: Database, id: string): Promise<ProductRow | undefined> {
  const [product] = await visibleProductQuery(db, id);
  return product;
}
