import { and, eq } from "drizzle-orm";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { products, type SummaryRow, summaryColumns, toProductSummary, visibleProductQuery } from "../catalog";
import { wishlistItems } from "./tables";
import type { AddToWishlistRoute, ListWishlistRoute, RemoveFromWishlistRoute } from "./wishlist.routes";

const NEWEST_FIRST = newestFirst(wishlistItems.createdAt, wishlistItems.productId);

function toWishlistItem(productId: string, addedAt: string, row: SummaryRow) {
  // For sale: active, not deleted, and a variant for sale (which is what gives it a price).
  const forSale = row.product.isActive && row.product.deletedAt === null && row.priceMin !== null;
  return { product_id: productId, added_at: addedAt, product: { ...toProductSummary(row), is_active: forSale } };
}

export const listWishlist: AppRouteHandler<ListWishlistRoute> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const { db, auth } = c.var;
  const rows = await db
    .select({ item: wishlistItems, ...summaryColumns })
    .from(wishlistItems)
    .innerJoin(products, eq(products.id, wishlistItems.productId))
    .where(and(eq(wishlistItems.userId, auth.user.id), NEWEST_FIRST.after(cursor)))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(limit + 1);
  const { page, nextCursor } = paginate(rows, limit, ({ item }) => [item.createdAt, item.productId]);
  return c.json(
    {
      data: page.map((row) => toWishlistItem(row.item.productId, row.item.createdAt, row)),
      next_cursor: nextCursor,
    },
    200,
  );
};

export const addToWishlist: AppRouteHandler<AddToWishlistRoute> = async (c) => {
  const { product_id } = c.req.valid("param");
  const { db, auth } = c.var;
  const [product] = await visibleProductQuery(db, product_id);
  if (!product) throw new ApiError(404, "not_found", "No such product.");
  await db
    .insert(wishlistItems)
    .values({ userId: auth.user.id, productId: product_id, createdAt: new Date().toISOString() })
    .onConflictDoNothing();
  const [row] = await db
    .select({ item: wishlistItems, ...summaryColumns })
    .from(wishlistItems)
    .innerJoin(products, eq(products.id, wishlistItems.productId))
    .where(and(eq(wishlistItems.userId, auth.user.id), eq(wishlistItems.productId, product_id)));
  if (!row) throw new Error("wishlist item vanished after insert");
  return c.json(toWishlistItem(product_id, row.item.createdAt, row), 200);
};

export const removeFromWishlist: AppRouteHandler<RemoveFromWishlistRoute> = async (c) => {
  const { product_id } = c.req.valid("param");
  const { db, auth } = c.var;
  const removed = await db
    .delete(wishlistItems)
    .where(and(eq(wishlistItems.userId, auth.user.id), eq(wishlistItems.productId, product_id)));
  if (removed.rowsAffected === 0) throw new ApiError(404, "not_found", "This product is not on your wishlist.");
  return c.body(null, 204);
};
