import { createRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import { ProductSummarySchema } from "../catalog";

const WishlistItemSchema = z
  .object({
    product_id: z.string(),
    added_at: z.string().openapi({ format: "date-time" }),
    product: ProductSummarySchema.extend({
      is_active: z.boolean().openapi({ description: "False once the product is no longer for sale" }),
    }),
  })
  .openapi("WishlistItem");

const ProductParams = z.object({ product_id: z.string().min(1).max(64) });
const tags = ["Wishlist"];
const security = [{ bearerAuth: [] }];

export const listWishlist = createRoute({
  method: "get",
  path: "/api/wishlist",
  tags,
  security,
  summary: "The signed-in user's wishlist, newest first",
  request: { query: PaginationQuerySchema },
  responses: { 200: jsonContent(pageSchema(WishlistItemSchema), "A page"), 401: problemContent("Not signed in") },
});

export const addToWishlist = createRoute({
  method: "put",
  path: "/api/wishlist/{product_id}",
  tags,
  security,
  summary: "Add a product (idempotent)",
  request: { params: ProductParams },
  responses: {
    200: jsonContent(WishlistItemSchema, "On the wishlist (whether new or already there)"),
    401: problemContent("Not signed in"),
    404: problemContent("No such product for sale"),
  },
});

export const removeFromWishlist = createRoute({
  method: "delete",
  path: "/api/wishlist/{product_id}",
  tags,
  security,
  summary: "Remove a product",
  request: { params: ProductParams },
  responses: {
    204: { description: "Removed" },
    401: problemContent("Not signed in"),
    404: problemContent("It was not on the wishlist"),
  },
});

export type ListWishlistRoute = typeof listWishlist;
export type AddToWishlistRoute = typeof addToWishlist;
export type RemoveFromWishlistRoute = typeof removeFromWishlist;
