import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { createRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { CART_TOKEN_HEADER } from "./cart-token";
import { AddCartItemSchema, CartSchema, UpdateCartItemSchema } from "./schemas";

const ItemParams = z.object({ id: z.string().min(1).max(64) });
const tags = ["Cart"];
/** Either credential opens the cart: an account's access token, or a guest cart's token. */
const security: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { cartToken: [] }];
const unauthorized = problemContent(
  "No credentials, an invalid access token, or a cart token that is malformed, unknown or expired (`invalid_cart_token`)",
);

export const createGuestCart = createRoute({
  method: "post",
  path: "/api/carts",
  tags,
  summary: "Start a guest cart (no account needed)",
  description: `Answers the empty cart and, in the \`${CART_TOKEN_HEADER}\` response header, its secret token: send it in the \`${CART_TOKEN_HEADER}\` request header to every /api/cart endpoint. The cart lives GUEST_CART_TTL_DAYS after its last change; signing in with the header merges it into the account's cart.`,
  middleware: [rateLimit({ limiter: (env) => env.CHECKOUT_LIMITER, action: "cart_create" })] as const,
  responses: {
    201: {
      ...jsonContent(CartSchema, "The new, empty cart (Location: /api/cart)"),
      headers: z.object({ [CART_TOKEN_HEADER]: z.string().openapi({ description: "The cart's token, shown once" }) }),
    },
    429: problemContent("Too many carts started from this client"),
  },
});

export const getCart = createRoute({
  method: "get",
  path: "/api/cart",
  tags,
  security,
  summary: "The shopper's cart (account or guest), priced now",
  responses: { 200: jsonContent(CartSchema, "The cart"), 401: unauthorized },
});

export const addItem = createRoute({
  method: "post",
  path: "/api/cart/items",
  tags,
  security,
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

export const updateItem = createRoute({
  method: "patch",
  path: "/api/cart/items/{id}",
  tags,
  security,
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

export const removeItem = createRoute({
  method: "delete",
  path: "/api/cart/items/{id}",
  tags,
  security,
  summary: "Remove a line",
  request: { params: ItemParams },
  responses: { 204: { description: "Removed" }, 401: unauthorized, 404: problemContent("No such line in your cart") },
});

export const clearCart = createRoute({
  method: "delete",
  path: "/api/cart",
  tags,
  security,
  summary: "Empty the cart",
  responses: { 204: { description: "Emptied" }, 401: unauthorized },
});

export type CreateGuestCartRoute = typeof createGuestCart;
export type GetCartRoute = typeof getCart;
export type AddItemRoute = typeof addItem;
export type UpdateItemRoute = typeof updateItem;
export type RemoveItemRoute = typeof removeItem;
export type ClearCartRoute = typeof clearCart;
