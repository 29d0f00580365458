import { eq, inArray } from "drizzle-orm";
import { ApiError, invalidField } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { purchasableVariantsQuery } from "../catalog";
import { addToCart, ensureCart, findCartLine, isPurchasable, linesOf } from "./cart";
import type { AddItemRoute, ClearCartRoute, GetCartRoute, RemoveItemRoute, UpdateItemRoute } from "./cart.routes";
import type { CartOwner } from "./owner";
import { cartViewFrom, cartViewQueries } from "./pricing";
import { cartItems, carts } from "./tables";

/*
 * Each handler makes at most two round trips: the session check with what it reads, then what it writes with
 * the cart as it is afterwards.
 */

const lineNotFound = () => new ApiError(404, "not_found", "No such item in your cart.");

function quantityOverLimit(max: number): ApiError {
  return invalidField("body.quantity", `A line holds at most ${max} units`);
}

function notEnoughStock(available: number): ApiError {
  return new ApiError(409, "insufficient_stock", `Only ${available} available.`, { extensions: { available } });
}

const userCart = (userId: string): CartOwner => ({ kind: "user", userId });

export const getCart: AppRouteHandler<GetCartRoute> = async (c) => {
  const { db, session, config } = c.var;
  const [, ...cart] = await session.check(...cartViewQueries(db, userCart(session.userId)));
  return c.json(cartViewFrom(cart, config, new Date()), 200);
};

export const addItem: AppRouteHandler<AddItemRoute> = async (c) => {
  const { product_id, variant_id, quantity } = c.req.valid("json");
  const { db, session, config } = c.var;
  const { maxQuantityPerLine, maxLines } = config.cart;
  if (quantity > maxQuantityPerLine) throw quantityOverLimit(maxQuantityPerLine);

  const target = { productId: product_id, variantId: variant_id };
  const [{ user }, candidates, lines] = await session.check(
    purchasableVariantsQuery(db, target),
    linesOf(db, userCart(session.userId), target),
  );
  const [chosen, ...others] = candidates;
  if (!chosen) throw new ApiError(404, "not_found", variant_id ? "No such variant for sale." : "No such product.");
  if (others.length > 0) {
    throw new ApiError(422, "variant_required", "This product comes in several variants: say which one (variant_id).", {
      extensions: {
        variants: candidates.map(({ variant }) => ({ id: variant.id, title: variant.title, sku: variant.sku })),
      },
    });
  }
  const variantId = chosen.variant.id;
  const existing = lines.find(({ item }) => item.variantId === variantId);
  const wanted = (existing?.item.quantity ?? 0) + quantity;
  if (wanted > maxQuantityPerLine) throw quantityOverLimit(maxQuantityPerLine);
  // Advisory: the stock shown in the catalog; the real guarantee is the reservation at checkout.
  if (wanted > chosen.variant.stockAvailable) throw notEnoughStock(chosen.variant.stockAvailable);

  const at = new Date().toISOString();
  const [, written, [line], ...cart] = await db.batch([
    ensureCart(db, user.id, at),
    addToCart(db, { owner: userCart(user.id), variantId, quantity, maxPerLine: maxQuantityPerLine, maxLines, at }),
    linesOf(db, userCart(user.id), { variantId }),
    ...cartViewQueries(db, userCart(user.id)),
  ]);
  if (written.rowsAffected !== 1) {
    // Refused by the statement's own check: a concurrent add got there first. A line that exists now was refused
    // for its quantity; otherwise the cart was full.
    if (line) throw quantityOverLimit(maxQuantityPerLine);
    throw new ApiError(409, "cart_full", `A cart holds at most ${maxLines} different items.`);
  }
  const view = cartViewFrom(cart, config, new Date());
  if (existing) return c.json(view, 200);
  if (line) c.header("Location", `/api/cart/items/${line.item.id}`);
  return c.json(view, 201);
};

export const updateItem: AppRouteHandler<UpdateItemRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { quantity } = c.req.valid("json");
  const { db, session, config } = c.var;
  if (quantity > config.cart.maxQuantityPerLine) throw quantityOverLimit(config.cart.maxQuantityPerLine);
  const [{ user }, [line]] = await session.check(findCartLine(db, userCart(session.userId), id));
  if (!line) throw lineNotFound();
  if (!isPurchasable(line)) {
    throw new ApiError(409, "product_unavailable", "This product is no longer for sale; remove it from the cart.");
  }
  if (quantity > line.variant.stockAvailable) throw notEnoughStock(line.variant.stockAvailable);
  const [, ...cart] = await db.batch([
    db.update(cartItems).set({ quantity, updatedAt: new Date().toISOString() }).where(eq(cartItems.id, id)),
    ...cartViewQueries(db, userCart(user.id)),
  ]);
  return c.json(cartViewFrom(cart, config, new Date()), 200);
};

export const removeItem: AppRouteHandler<RemoveItemRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, session } = c.var;
  // Another user's line is indistinguishable from one that does not exist.
  const [, [line]] = await session.check(findCartLine(db, userCart(session.userId), id));
  if (!line) throw lineNotFound();
  await db.delete(cartItems).where(eq(cartItems.id, id));
  return c.body(null, 204);
};

export const clearCart: AppRouteHandler<ClearCartRoute> = async (c) => {
  const { db, session } = c.var;
  const [{ user }] = await session.check();
  const mine = db.select({ id: carts.id }).from(carts).where(eq(carts.userId, user.id));
  await db.delete(cartItems).where(inArray(cartItems.cartId, mine));
  return c.body(null, 204);
};
