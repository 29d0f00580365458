/**
 * The public catalog at the edge: which answers are stored (Cache API, per data center), under which key, and for
 * how long. See `platform/http/middleware/edge-cache.ts` for what is never stored or replayed.
 */
import { type EdgeCacheRequest, edgeCache, forgetEdgeCached } from "../../platform/http/middleware/edge-cache";
import type { Logger } from "../../platform/logger";
import { ListProductsQuerySchema, ProductIdParams } from "./schemas";
import { searchTerms } from "./search";

/**
 * The freshness bound: a stored catalog answer is served for at most this long. The catalog's admin routes forget
 * the product's page and the categories in the data center that runs the write (in production the placed Worker's,
 * near the database, not the one that serves the admin's reads); everywhere else, and for lists, searches and
 * stock levels mirrored by the inventory objects, a change shows within this many seconds.
 */
export const CATALOG_FRESH_SECONDS = 15;

/**
 * Browsers and proxies may keep a copy but must revalidate it (If-None-Match, answered from the edge with a 304),
 * so none of them serves an answer past the edge's bound.
 */
const CATALOG_CLIENT_CACHE_CONTROL = "public, no-cache";

const CATEGORIES_PATH = "/api/categories";

const openCatalogCache = () => caches.open("catalog");

function productPath(id: string): string {
  return `/api/products/${encodeURIComponent(id)}`;
}

/**
 * The canonical form of a catalog query: only the parameters the route knows, in name order, each in the one form
 * the handler treats alike (defaults filled, the sort the handler would pick, `in_stock=false` as absent, the
 * search reduced to the words the search uses). Unknown parameters are ignored, as the route ignores them; a query
 * the route refuses has no key, so it is answered (422) without the cache.
 */
function productListKey(query: EdgeCacheRequest["query"]): string | undefined {
  const parsed = ListProductsQuerySchema.safeParse(query);
  if (!parsed.success) return undefined;
  const { limit, cursor, q, category, min_price, max_price, in_stock, sort } = parsed.data;
  const canonical: Record<string, string | number | undefined> = {
    category,
    cursor,
    in_stock: in_stock === "true" ? "true" : undefined,
    limit,
    max_price,
    min_price,
    q: q === undefined ? undefined : searchTerms(q).join(" "),
    sort: sort ?? (q ? "relevance" : "-created_at"),
  };
  const entries = Object.entries(canonical)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]): [string, string] => [name, String(value)]);
  return `/api/products?${new URLSearchParams(entries).toString()}`;
}

/** One product's page: the route reads no query, so none is part of the key. */
function productKey(params: EdgeCacheRequest["params"]): string | undefined {
  const parsed = ProductIdParams.safeParse(params);
  return parsed.success ? productPath(parsed.data.id) : undefined;
}

function cachedAtEdge(keyOf: (request: EdgeCacheRequest) => string | undefined) {
  return edgeCache({
    keyOf,
    freshSeconds: CATALOG_FRESH_SECONDS,
    clientCacheControl: CATALOG_CLIENT_CACHE_CONTROL,
    openCache: openCatalogCache,
  });
}

export const productListAtEdge = cachedAtEdge(({ query }) => productListKey(query));
export const productAtEdge = cachedAtEdge(({ params }) => productKey(params));
export const categoriesAtEdge = cachedAtEdge(() => CATEGORIES_PATH);

/**
 * What this data center's edge cache forgets after an admin change: a product's page and the categories (whose
 * counts it may change), or only the categories. Product pages and lists that show a category's name or filter by
 * its slug are not forgotten (any number of them may): they catch up within the freshness bound, like every other
 * data center.
 */
export type CatalogChange = { productId: string } | { categories: true };

/**
 * Forgets what an admin change made stale here. The change is made by then, so a cache that fails is logged, not
 * turned into a failed request.
 */
export async function forgetAfterChange(
  request: { url: string },
  logger: Logger,
  change: CatalogChange,
): Promise<void> {
  const paths = "productId" in change ? [productPath(change.productId), CATEGORIES_PATH] : [CATEGORIES_PATH];
  try {
    await forgetEdgeCached(openCatalogCache, new URL(request.url).origin, paths);
  } catch (error) {
    logger.warn("edge_cache_forget_failed", { error: error instanceof Error ? error.name : String(error) });
  }
}
