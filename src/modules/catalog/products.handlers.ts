import { and, type SQL, sql } from "drizzle-orm";
import { afterCursor, type CursorValues, decodeCursor, orderBy, paginate } from "../../platform/http/pagination";
import { ApiError, invalidField } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { loadVisibleProduct, summaryColumns, toProductSummary } from "./product-views";
import type { GetProductRoute, ListProductsRoute } from "./products.routes";
import { matchesSearch, relevanceOf, searchTerms, sortKeys, visibleProducts } from "./search";
import { products } from "./tables";

// Cache-Control and the edge cache are the routes' middleware (edge-cache.ts): handlers only answer.
export const listProducts: AppRouteHandler<ListProductsRoute> = async (c) => {
  const query = c.req.valid("query");
  const sort = query.sort ?? (query.q ? "relevance" : "-created_at");

  const terms = query.q ? searchTerms(query.q) : [];
  // A search made only of punctuation matches nothing, rather than everything.
  if (query.q && terms.length === 0) return c.json({ data: [], next_cursor: null }, 200);

  const relevance = terms.length > 0 ? relevanceOf(terms) : undefined;
  const keys = sortKeys(sort, relevance);
  const conditions: (SQL | undefined)[] = [
    visibleProducts({
      category: query.category,
      minPrice: query.min_price,
      maxPrice: query.max_price,
      inStock: query.in_stock === "true",
    }),
    terms.length > 0 ? matchesSearch(terms) : undefined,
  ];
  if (query.cursor) {
    // The cursor names its sort, so it cannot be replayed against another order.
    const [cursorSort, ...values] = decodeCursor(query.cursor, keys.length + 1);
    if (cursorSort !== sort) {
      throw invalidField("query.cursor", "The cursor belongs to another sort order");
    }
    conditions.push(afterCursor(keys, values));
  }

  const rows = await c.var.db
    .select({ ...summaryColumns, relevance: relevance ?? sql<number>`0` })
    .from(products)
    .where(and(...conditions))
    .orderBy(...orderBy(keys))
    .limit(query.limit + 1);

  const { page, nextCursor } = paginate(rows, query.limit, (row): CursorValues => {
    const { product } = row;
    const byKey: Record<string, CursorValues> = {
      relevance: [row.relevance, product.id],
      price: [row.priceMin, product.id],
      "-price": [row.priceMax, product.id],
      name: [product.name, product.id],
      "-created_at": [product.createdAt, product.id],
    };
    return [sort, ...(byKey[sort] ?? [])];
  });
  return c.json({ data: page.map(toProductSummary), next_cursor: nextCursor }, 200);
};

export const getProduct: AppRouteHandler<GetProductRoute> = async (c) => {
  const product = await loadVisibleProduct(c.var.db, c.req.valid("param").id);
  if (!product) throw new ApiError(404, "not_found", "No such product.");
  return c.json(product, 200);
};
