import { CountryCodeSchema } from "../../platform/countries";
import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { ApplyDiscountSchema, CartSchema, CartShippingSchema, ShippingOptionSchema } from "./schemas";

const unauthorized = problemContent("Neither signed in nor holding a valid cart token");

export const applyDiscount = defineRoute({
  operationId: "applyCartDiscount",
  tag: "Cart",
  access: "cart",
  method: "put",
  path: "/api/cart/discount",
  summary: "Apply a discount code to the cart (one per order; replaces any other)",
  description:
    "Answers the cart with the discount line, or a problem saying why the code is refused. Attempts are rate-limited per client address, so codes cannot be enumerated at speed; a code that does not exist, is switched off or deleted is the same 404.",
  middleware: [rateLimit({ limiter: (env) => env.CHECKOUT_LIMITER, action: "discount_code" })] as const,
  request: { body: jsonBody(ApplyDiscountSchema) },
  responses: {
    200: jsonContent(CartSchema, "The cart with the code applied"),
    401: unauthorized,
    404: problemContent("No such code (`discount_not_found`)"),
    409: problemContent(
      "`discount_not_started`, `discount_expired`, `discount_limit_reached` (used as often as it may be), `discount_customer_limit_reached` (by you)",
    ),
    422: problemContent(
      "`discount_minimum_not_met` (with `minimum_subtotal_amount`), `discount_not_applicable` (nothing in the cart qualifies), or an invalid body",
    ),
    429: problemContent("Too many attempts from this client"),
  },
});

export const removeDiscount = defineRoute({
  operationId: "removeCartDiscount",
  tag: "Cart",
  access: "cart",
  method: "delete",
  path: "/api/cart/discount",
  summary: "Remove the cart's discount code",
  responses: { 200: jsonContent(CartSchema, "The cart without a code"), 401: unauthorized },
});

export const setShipping = defineRoute({
  operationId: "setCartShipping",
  tag: "Cart",
  access: "cart",
  method: "put",
  path: "/api/cart/shipping",
  summary: "Set where the cart goes (country, region) and, optionally, the shipping method",
  description:
    "Shipping and tax on the cart follow from these. Checkout prices the order for the address it is given, which the order total and the payment follow.",
  request: { body: jsonBody(CartShippingSchema) },
  responses: {
    200: jsonContent(CartSchema, "The cart priced for this destination"),
    401: unauthorized,
    422: problemContent("`shipping_method_unavailable`: the method does not serve this country; or an invalid body"),
  },
});

export const shippingOptions = defineRoute({
  operationId: "listShippingOptions",
  tag: "Cart",
  access: "cart",
  method: "get",
  path: "/api/cart/shipping-options",
  summary: "The shipping methods for the cart's destination, each priced for this cart",
  request: {
    query: z.object({
      country: CountryCodeSchema.optional().openapi({ description: "Instead of the cart's destination" }),
    }),
  },
  responses: {
    200: jsonContent(z.object({ country: z.string(), data: z.array(ShippingOptionSchema) }), "The options"),
    401: unauthorized,
    422: problemContent("`destination_required`: no country given and none set on the cart"),
  },
});

export type ApplyDiscountRoute = typeof applyDiscount;
export type RemoveDiscountRoute = typeof removeDiscount;
export type SetShippingRoute = typeof setShipping;
export type ShippingOptionsRoute = typeof shippingOptions;
