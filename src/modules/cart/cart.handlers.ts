import { and, eq, inArray } from "drizzle-orm";
import { ApiError, invalidField } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { newId } from "../../platform/ids";
import { purchasableVariantsQuery } from "../catalog";
import { addToCart, findCartLine, isPurchasable, linesOf } from "./cart";
import type {
  AddItemRoute,
  ClearCartRoute,
  CreateGuestCartRoute,
  GetCartRoute,
  RemoveItemRoute,
  UpdateItemRoute,
} from "./cart.routes";
import { CART_TOKEN_HEADER, cartTokenHash, guestCartExpiry, invalidCartToken, newCartToken } from "./cart-token";
import { ownerCartId, ownsCart } from "./owner";
import { cartViewFrom, cartViewQueries } from "./pricing";
import { cartItems, carts } from "./tables";

/*
 * Each handler makes at most two round trips: the credential check with what it reads, then what it writes with
 * the cart as it is afterwards. Every write starts with `cartAccess.prepareWrite`, which slides a guest cart's
 * expiry: a cart in use never expires.
 */

const lineNotFound = () => new ApiError(404, "not_found", "No such item in your cart.");

function quantityOverLimit(max: number): ApiError {
  return invalidField("body.quantity", `A line holds at most ${max} units`);
}

function notEnoughStock(available: number): ApiError {
  return new ApiError(409, "insufficient_stock", `Only ${available} available.`, { extensions: { available } });
}

export const createGuestCart: AppRouteHandler<CreateGuestCartRoute> = async (c) => {
  const { db, config, clock } = c.var;
  const token = newCartToken();
  const tokenHash = await cartTokenHash(token);
  if (!tokenHash) throw new Error("a new cart token is always well-formed");
  const now = clock.now();
  const expiresAt = guestCartExpiry(now, config.guestCartTtlDays);
  const at = now.toISOString();
  const [, ...cart] = await db.batch([
    db.insert(carts).values({ id: newId("crt"), tokenHash, expiresAt, createdAt: at, updatedAt: at }),
    ...cartViewQueries(db, { kind: "guest", tokenHash, now: at }),
  ]);
  c.header(CART_TOKEN_HEADER, token);
  c.header("Location", "/api/cart");
  return c.json(cartViewFrom(cart, config, now), 201);
};

export const getCart: AppRouteHandler<GetCartRoute> = async (c) => {
  const { db, cartAccess, config, clock } = c.var;
  const [, ...cart] = await cartAccess.check(...cartViewQueries(db, cartAccess.owner));
  return c.json(cartViewFrom(cart, config, clock.now()), 200);
};

export const addItem: AppRouteHandler<AddItemRoute> = async (c) => {
  const { product_id, variant_id, quantity } = c.req.valid("json");
  const { db, cartAccess, config, clock } = c.var;
  const { owner } = cartAccess;
  const { maxQuantityPerLine, maxLines } = config.cart;
  if (quantity > maxQuantityPerLine) throw quantityOverLimit(maxQuantityPerLine);

  const target = { productId: product_id, variantId: variant_id };
  const [, candidates, lines] = await cartAccess.check(
    purchasableVariantsQuery(db, target),
    linesOf(db, owner, target),
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

  const now = clock.now();
  const at = now.toISOString();
  const [, written, [line], ...cart] = await db.batch([
    cartAccess.prepareWrite(now),
    addToCart(db, { owner, variantId, quantity, maxPerLine: maxQuantityPerLine, maxLines, at }),
    linesOf(db, owner, { variantId }),
    ...cartViewQueries(db, owner),
  ]);
  if (written.rowsAffected !== 1) {
    // A guest cart that expired since the check has no cart id left to write to: its token no longer works.
    if (owner.kind === "guest" && !line && cart[0].length === 0) throw invalidCartToken();
    // Refused by the statement's own check: a concurrent add got there first. A line that exists now was refused
    // for its quantity; otherwise the cart was full.
    if (line) throw quantityOverLimit(maxQuantityPerLine);
    throw new ApiError(409, "cart_full", `A cart holds at most ${maxLines} different items.`);
  }
  const view = cartViewFrom(cart, config, now);
  if (existing) return c.json(view, 200);
  if (line) c.header("Location", `/api/cart/items/${line.item.id}`);
  return c.json(view, 201);
};

export const updateItem: AppRouteHandler<UpdateItemRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { quantity } = c.req.valid("json");
  const { db, cartAccess, config, clock } = c.var;
  if (quantity > config.cart.maxQuantityPerLine) throw quantityOverLimit(config.cart.maxQuantityPerLine);
  const [, [line]] = await cartAccess.check(findCartLine(db, cartAccess.owner, id));
  if (!line) throw lineNotFound();
  if (!isPurchasable(line)) {
    throw new ApiError(409, "product_unavailable", "This product is no longer for sale; remove it from the cart.");
  }
  if (quantity > line.variant.stockAvailable) throw notEnoughStock(line.variant.stockAvailable);
  const now = clock.now();
  const [, , ...cart] = await db.batch([
    cartAccess.prepareWrite(now),
    db
      .update(cartItems)
      .set({ quantity, updatedAt: now.toISOString() })
      .where(and(eq(cartItems.id, id), eq(cartItems.cartId, ownerCartId(cartAccess.owner)))),
    ...cartViewQueries(db, cartAccess.owner),
  ]);
  return c.json(cartViewFrom(cart, config, now), 200);
};

export const removeItem: AppRouteHandler<RemoveItemRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, cartAccess, clock } = c.var;
  // Another shopper's line is indistinguishable from one that does not exist.
  const [, [line]] = await cartAccess.check(findCartLine(db, cartAccess.owner, id));
  if (!line) throw lineNotFound();
  await db.batch([
    cartAccess.prepareWrite(clock.now()),
    db.delete(cartItems).where(and(eq(cartItems.id, id), eq(cartItems.cartId, ownerCartId(cartAccess.owner)))),
  ]);
  return c.body(null, 204);
};

export const clearCart: AppRouteHandler<ClearCartRoute> = async (c) => {
  const { db, cartAccess, clock } = c.var;
  await cartAccess.check();
  const mine = db.select({ id: carts.id }).from(carts).where(ownsCart(cartAccess.owner));
  await db.batch([cartAccess.prepareWrite(clock.now()), db.delete(cartItems).where(inArray(cartItems.cartId, mine))]);
  return c.body(null, 204);
};
