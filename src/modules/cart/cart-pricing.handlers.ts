import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler, AppVariables } from "../../platform/http/types";
import { codeIdByText, discountNotFound } from "../discounts";
import { methodsForCountryQuery, shippingMethodUnavailable } from "../shipping";
import type {
  ApplyDiscountRoute,
  RemoveDiscountRoute,
  SetShippingRoute,
  ShippingOptionsRoute,
} from "./cart-pricing.routes";
import { ownsCart } from "./owner";
import { cartPricingFrom, cartViewFrom, cartViewQueries, priceCart } from "./pricing";
import { carts } from "./tables";

/*
 * Applying a code or a destination reads (with the credential's check) and judges, then writes with the cart as it
 * is afterwards: two round trips, like the cart's other writes.
 */

type CartChoices = Partial<
  Pick<typeof carts.$inferInsert, "discountCodeId" | "country" | "region" | "shippingMethodId">
>;

/**
 * Writes the cart's own choices, after `prepareWrite` as every cart write, and answers the cart priced as it is
 * afterwards: one round trip.
 */
async function writeChoices(vars: Pick<AppVariables, "db" | "cartAccess" | "config" | "clock">, choices: CartChoices) {
  const { db, cartAccess, config, clock } = vars;
  const now = clock.now();
  const [, , ...cart] = await db.batch([
    cartAccess.prepareWrite(now),
    db
      .update(carts)
      .set({ ...choices, updatedAt: now.toISOString() })
      .where(ownsCart(cartAccess.owner)),
    ...cartViewQueries(db, cartAccess.owner),
  ]);
  return cartViewFrom(cart, config, now);
}

export const applyDiscount: AppRouteHandler<ApplyDiscountRoute> = async (c) => {
  const { code } = c.req.valid("json");
  const { db, cartAccess, config, clock } = c.var;
  const { owner } = cartAccess;
  const now = clock.now();
  const [, ...read] = await cartAccess.check(...cartViewQueries(db, owner, { codeId: codeIdByText(code) }));
  const { lines, context } = cartPricingFrom(read);
  const candidate = context.code;
  if (!candidate) throw discountNotFound();
  const { refusal } = priceCart(lines, context, {
    now: now.toISOString(),
    pricesIncludeTax: config.pricesIncludeTax,
    shippingMethodId: null,
    codeId: candidate.id,
    region: context.cart?.region ?? null,
  });
  if (refusal) throw refusal;
  return c.json(await writeChoices(c.var, { discountCodeId: candidate.id }), 200);
};

export const removeDiscount: AppRouteHandler<RemoveDiscountRoute> = async (c) => {
  await c.var.cartAccess.check();
  return c.json(await writeChoices(c.var, { discountCodeId: null }), 200);
};

export const setShipping: AppRouteHandler<SetShippingRoute> = async (c) => {
  const { country, region, shipping_method_id } = c.req.valid("json");
  const { db, cartAccess } = c.var;
  // Only the country's methods are needed to judge: not the whole priced cart.
  const [, methods] = await cartAccess.check(methodsForCountryQuery(db, country));
  if (shipping_method_id && !methods.some((method) => method.id === shipping_method_id)) {
    throw shippingMethodUnavailable(country, methods);
  }
  const choices = { country, region: region || null, shippingMethodId: shipping_method_id ?? null };
  return c.json(await writeChoices(c.var, choices), 200);
};

export const shippingOptions: AppRouteHandler<ShippingOptionsRoute> = async (c) => {
  const { country } = c.req.valid("query");
  const { db, cartAccess, config, clock } = c.var;
  const [, ...read] = await cartAccess.check(...cartViewQueries(db, cartAccess.owner, country ? { country } : {}));
  const { lines, context } = cartPricingFrom(read);
  const destination = country ?? context.cart?.country;
  if (!destination) {
    throw new ApiError(
      422,
      "destination_required",
      "Say which country the cart goes to (?country= or PUT /api/cart/shipping).",
    );
  }
  const now = clock.now().toISOString();
  const data = context.methods.map((method) => {
    const { priced } = priceCart(lines, context, {
      now,
      pricesIncludeTax: config.pricesIncludeTax,
      shippingMethodId: method.id,
      codeId: context.cart?.discountCodeId ?? null,
      region: context.cart?.region ?? null,
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
