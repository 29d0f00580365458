import { eq } from "drizzle-orm";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { codeIdByText, discountNotFound } from "../discounts";
import { ensureCart } from "./cart";
import type {
  ApplyDiscountRoute,
  RemoveDiscountRoute,
  SetShippingRoute,
  ShippingOptionsRoute,
} from "./cart-pricing.routes";
import type { CartOwner } from "./owner";
import { cartPricingFrom, cartViewFrom, cartViewQueries, priceCart } from "./pricing";
import { carts } from "./tables";

/*
 * Applying a code or a destination reads (with the session check) and judges, then writes with the cart as it is
 * afterwards: two round trips, like the cart's other writes.
 */

const userCart = (userId: string): CartOwner => ({ kind: "user", userId });

export const applyDiscount: AppRouteHandler<ApplyDiscountRoute> = async (c) => {
  const { code } = c.req.valid("json");
  const { db, session, config } = c.var;
  const owner = userCart(session.userId);
  const now = new Date();
  const [{ user }, ...read] = await session.check(...cartViewQueries(db, owner, { codeId: codeIdByText(code) }));
  const { lines, context } = cartPricingFrom(read);
  const candidate = context.code;
  if (!candidate) throw discountNotFound();
  const { refusal } = priceCart(lines, context, {
    now: now.toISOString(),
    pricesIncludeTax: config.pricesIncludeTax,
    shippingMethodId: null,
    codeId: candidate.id,
  });
  if (refusal) throw refusal;
  const at = now.toISOString();
  const [, , ...cart] = await db.batch([
    ensureCart(db, user.id, at),
    db.update(carts).set({ discountCodeId: candidate.id, updatedAt: at }).where(eq(carts.userId, user.id)),
    ...cartViewQueries(db, userCart(user.id)),
  ]);
  return c.json(cartViewFrom(cart, config, now), 200);
};

export const removeDiscount: AppRouteHandler<RemoveDiscountRoute> = async (c) => {
  const { db, session, config } = c.var;
  const [{ user }] = await session.check();
  const at = new Date();
  const [, ...cart] = await db.batch([
    db.update(carts).set({ discountCodeId: null, updatedAt: at.toISOString() }).where(eq(carts.userId, user.id)),
    ...cartViewQueries(db, userCart(user.id)),
  ]);
  return c.json(cartViewFrom(cart, config, at), 200);
};

export const setShipping: AppRouteHandler<SetShippingRoute> = async (c) => {
  const { country, region, shipping_method_id } = c.req.valid("json");
  const { db, session, config } = c.var;
  const owner = userCart(session.userId);
  const [{ user }, ...read] = await session.check(...cartViewQueries(db, owner, { country, region: region ?? "" }));
  const { context } = cartPricingFrom(read);
  if (shipping_method_id && !context.methods.some((method) => method.id === shipping_method_id)) {
    throw new ApiError(422, "shipping_method_unavailable", "This shipping method does not serve that country.", {
      extensions: { country, shipping_methods: context.methods.map((method) => method.id) },
    });
  }
  const now = new Date();
  const at = now.toISOString();
  const [, , ...cart] = await db.batch([
    ensureCart(db, user.id, at),
    db
      .update(carts)
      .set({ country, region: region || null, shippingMethodId: shipping_method_id ?? null, updatedAt: at })
      .where(eq(carts.userId, user.id)),
    ...cartViewQueries(db, userCart(user.id)),
  ]);
  return c.json(cartViewFrom(cart, config, now), 200);
};

export const shippingOptions: AppRouteHandler<ShippingOptionsRoute> = async (c) => {
  const { country } = c.req.valid("query");
  const { db, session, config } = c.var;
  const owner = userCart(session.userId);
  const [, ...read] = await session.check(...cartViewQueries(db, owner, country ? { country } : {}));
  const { lines, context } = cartPricingFrom(read);
  const destination = country ?? context.cart?.country;
  if (!destination) {
    throw new ApiError(
      422,
      "destination_required",
      "Say which country the cart goes to (?country= or PUT /api/cart/shipping).",
    );
  }
  const now = new Date().toISOString();
  const data = context.methods.map((method) => {
    const { priced } = priceCart(lines, context, {
      now,
      pricesIncludeTax: config.pricesIncludeTax,
      shippingMethodId: method.id,
      codeId: context.cart?.discountCodeId ?? null,
    });
    return {
      id: method.id,
      name: method.name,
      rate_kind: method.rateKind,
      amount: priced.shippingAmount,
      free_over_amount: method.freeOverAmount,
    };
  });
  return c.json({ country: destination, data }, 200);
};
