import { and, eq, inArray } from "drizzle-orm";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { findVisibleProduct } from "../catalog";
import { addToCart, ensureCart, findCartLine, isPurchasable, viewCart } from "./cart";
import type { AddItemRoute, ClearCartRoute, GetCartRoute, RemoveItemRoute, UpdateItemRoute } from "./cart.routes";
import { cartItems, carts } from "./tables";

const lineNotFound = () => new ApiError(404, "not_found", "No such item in your cart.");

function quantityOverLimit(max: number): ApiError {
  return new ApiError(422, "validation_error", "The request is not valid.", {
    errors: [{ path: "body.quantity", message: `A line holds at most ${max} units` }],
  });
}

function notEnoughStock(available: number): ApiError {
  return new ApiError(409, "insufficient_stock", `Only ${available} available.`, { extensions: { available } });
}

export const getCart: AppRouteHandler<GetCartRoute> = async (c) => {
  return c.json(await viewCart(c.var.db, c.var.auth.user.id, c.var.config.storeCurrency), 200);
};

export const addItem: AppRouteHandler<AddItemRoute> = async (c) => {
  const { product_id, quantity } = c.req.valid("json");
  const { db, auth, config } = c.var;
  const { maxQuantityPerLine, maxLines } = config.cart;
  if (quantity > maxQuantityPerLine) throw quantityOverLimit(maxQuantityPerLine);

  const product = await findVisibleProduct(db, product_id);
  if (!product) throw new ApiError(404, "not_found", "No such product.");

  const cartId = await ensureCart(db, auth.user.id);
  const [existing] = await db
    .select()
    .from(cartItems)
    .where(and(eq(cartItems.cartId, cartId), eq(cartItems.productId, product_id)))
    .limit(1);
  const wanted = (existing?.quantity ?? 0) + quantity;
  if (wanted > maxQuantityPerLine) throw quantityOverLimit(maxQuantityPerLine);
  // Advisory: the stock shown in the catalog; the real guarantee is the reservation at checkout.
  if (wanted > product.stockAvailable) throw notEnoughStock(product.stockAvailable);

  const written = await addToCart(db, {
    cartId,
    productId: product_id,
    quantity,
    maxPerLine: maxQuantityPerLine,
    maxLines,
  });
  if (!written) {
    // Refused by the statement's own check: a concurrent add got there first. A line that exists now was refused
    // for its quantity; otherwise the cart was full.
    const [line] = await db
      .select({ id: cartItems.id })
      .from(cartItems)
      .where(and(eq(cartItems.cartId, cartId), eq(cartItems.productId, product_id)));
    if (line) throw quantityOverLimit(maxQuantityPerLine);
    throw new ApiError(409, "cart_full", `A cart holds at most ${maxLines} different products.`);
  }
  const view = await viewCart(db, auth.user.id, config.storeCurrency);
  if (existing) return c.json(view, 200);
  const line = view.items.find((item) => item.product_id === product_id);
  if (line) c.header("Location", `/api/cart/items/${line.id}`);
  return c.json(view, 201);
};

export const updateItem: AppRouteHandler<UpdateItemRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { quantity } = c.req.valid("json");
  const { db, auth, config } = c.var;
  if (quantity > config.cart.maxQuantityPerLine) throw quantityOverLimit(config.cart.maxQuantityPerLine);
  const line = await findCartLine(db, auth.user.id, id);
  if (!line) throw lineNotFound();
  if (!isPurchasable(line.product)) {
    throw new ApiError(409, "product_unavailable", "This product is no longer for sale; remove it from the cart.");
  }
  if (quantity > line.product.stockAvailable) throw notEnoughStock(line.product.stockAvailable);
  await db.update(cartItems).set({ quantity, updatedAt: new Date().toISOString() }).where(eq(cartItems.id, id));
  return c.json(await viewCart(db, auth.user.id, config.storeCurrency), 200);
};

export const removeItem: AppRouteHandler<RemoveItemRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, auth } = c.var;
  // Another user's line is indistinguishable from one that does not exist.
  if (!(await findCartLine(db, auth.user.id, id))) throw lineNotFound();
  await db.delete(cartItems).where(eq(cartItems.id, id));
  return c.body(null, 204);
};

export const clearCart: AppRouteHandler<ClearCartRoute> = async (c) => {
  const { db, auth } = c.var;
  const mine = db.select({ id: carts.id }).from(carts).where(eq(carts.userId, auth.user.id));
  await db.delete(cartItems).where(inArray(cartItems.cartId, mine));
  return c.body(null, 204);
};
