import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { CART_TOKEN_HEADER } from "./cart-token";
import { AddCartItemSchema, CartSchema, UpdateCartItemSchema } from "./schemas";

const ItemParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The cart line's id (`items[].id`)" }),
});
const unauthorized = problemContent(
  "No credentials, an invalid access token, or a cart token that is malformed, unknown or expired (`invalid_cart_token`)",
);

export const createGuestCart = defineRoute({
  operationId: "createGuestCart",
  location: "/api/cart",
  tag: "Cart",
  access: "public",
  method: "post",
  path: "/api/carts",
  summary: "Start a guest cart (no account needed)",
  description: `Answers the empty cart and, in the \`${CART_TOKEN_HEADER}\` response header, its secret token: send it in the \`${CART_TOKEN_HEADER}\` request header to every /api/cart endpoint. The cart lives GUEST_CART_TTL_DAYS after its last change; signing in with the header merges it into the account's cart.`,
  middleware: [rateLimit({ limiter: (env) => env.CHECKOUT_LIMITER, action: "cart_create" })] as const,
  responses: {
    201: {
      ...jsonContent(CartSchema, "The new, empty cart (Location: /api/cart)"),
      headers: {
        [CART_TOKEN_HEADER]: {
          description: "The cart's token, shown once",
          required: true,
          schema: { type: "string", example: "q3VZr8X2nL0cWm5tYb7KfA1sHd9PjE4uGx6oNiT2yRk" },
        },
      },
    },
    429: problemContent("Too many carts started from this client"),
  },
});

export const getCart = defineRoute({
  operationId: "getCart",
  tag: "Cart",
  access: "cart",
  method: "get",
  path: "/api/cart",
  summary: "The shopper's cart (account or guest), priced now",
  responses: { 200: jsonContent(CartSchema, "The cart"), 401: unauthorized },
});

export const addItem = defineRoute({
  operationId: "addCartItem",
  location: "/api/cart/items/{id}",
  tag: "Cart",
  access: "cart",
  method: "post",
  path: "/api/cart/items",
  summary: "Add a variant, or a product with one variant for sale (merges with an existing line)",
  request: { body: jsonBody(AddCartItemSchema) },
  responses: {
    200: jsonContent(CartSchema, "Merged into an existing line"),
    201: jsonContent(CartSchema, "New line (Location: /api/cart/items/{id})"),
    401: unauthorized,
    404: problemContent("No such product or variant for sale (or a variant of another product)"),
    409: problemContent("Not enough available (`available` says how many), or the cart is full"),
    422: problemContent(
      "Invalid quantity, neither variant_id nor product_id, or a product with several variants for sale given by product_id alone (`variant_required`, with `variants`: id, title, sku of each)",
    ),
  },
});

export const updateItem = defineRoute({
  operationId: "updateCartItem",
  tag: "Cart",
  access: "cart",
  method: "patch",
  path: "/api/cart/items/{id}",
  summary: "Set a line's quantity",
  request: { params: ItemParams, body: jsonBody(UpdateCartItemSchema) },
  responses: {
    200: jsonContent(CartSchema, "The cart"),
    401: unauthorized,
    404: problemContent("No such line in your cart"),
    409: problemContent("Not enough available, or the product is no longer for sale"),
    422: problemContent("Invalid quantity"),
  },
});

export const removeItem = defineRoute({
  operationId: "removeCartItem",
  tag: "Cart",
  access: "cart",
  method: "delete",
  path: "/api/cart/items/{id}",
  summary: "Remove a line",
  request: { params: ItemParams },
  responses: { 204: { description: "Removed" }, 401: unauthorized, 404: problemContent("No such line in your cart") },
});

export const clearCart = defineRoute({
  operationId: "clearCart",
  tag: "Cart",
  access: "cart",
  method: "delete",
  path: "/api/cart",
  summary: "Empty the cart",
  responses: { 204: { description: "Emptied" }, 401: unauthorized },
});

export type CreateGuestCartRoute = typeof createGuestCart;
export type GetCartRoute = typeof getCart;
export type AddItemRoute = typeof addItem;
export type UpdateItemRoute = typeof updateItem;
export type RemoveItemRoute = typeof removeItem;
export type ClearCartRoute = typeof clearCart;
