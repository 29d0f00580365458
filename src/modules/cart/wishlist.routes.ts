import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";
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

const ProductParams = z.object({
  product_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ description: "The product's id", example: "prd_1c8s0k2m4n6p8r0t2v4x6z8b0d" }),
});

export const listWishlist = defineRoute({
  operationId: "listWishlist",
  tag: "Wishlist",
  access: "user",
  method: "get",
  path: "/api/wishlist",
  summary: "The signed-in user's wishlist, newest first",
  request: { query: PaginationQuerySchema },
  responses: { 200: jsonContent(pageSchema(WishlistItemSchema), "A page") },
});

export const addToWishlist = defineRoute({
  operationId: "addToWishlist",
  tag: "Wishlist",
  access: "user",
  method: "put",
  path: "/api/wishlist/{product_id}",
  summary: "Add a product (idempotent)",
  request: { params: ProductParams },
  responses: {
    200: jsonContent(WishlistItemSchema, "On the wishlist (whether new or already there)"),
    404: problemContent("No such product for sale"),
  },
});

export const removeFromWishlist = defineRoute({
  operationId: "removeFromWishlist",
  tag: "Wishlist",
  access: "user",
  method: "delete",
  path: "/api/wishlist/{product_id}",
  summary: "Remove a product",
  request: { params: ProductParams },
  responses: {
    204: { description: "Removed" },
    404: problemContent("It was not on the wishlist"),
  },
});

export type ListWishlistRoute = typeof listWishlist;
export type AddToWishlistRoute = typeof addToWishlist;
export type RemoveFromWishlistRoute = typeof removeFromWishlist;
