import { z } from "@hono/zod-openapi";
import { CountryCodeSchema } from "../../platform/countries";
import { DISCOUNT_KINDS } from "../discounts";
import { SHIPPING_RATE_KINDS } from "../shipping";

/** The hard ceiling of the schema; the configured MAX_QTY_PER_LINE (default 50) is checked on top. */
const QuantitySchema = z
  .number()
  .int("must be a whole number")
  .min(1)
  .max(10_000)
  .openapi({ description: "1 to MAX_QTY_PER_LINE (default 50)", example: 2 });

export const AddCartItemSchema = z
  .strictObject({
    variant_id: z.string().min(1).max(64).optional().openapi({ description: "The variant to add" }),
    product_id: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "Enough alone for a product with one variant for sale; else give variant_id" }),
    quantity: QuantitySchema,
  })
  .refine((body) => body.variant_id !== undefined || body.product_id !== undefined, {
    path: ["variant_id"],
    message: "Give variant_id (or product_id of a product with one variant)",
  })
  .openapi("AddCartItemRequest");
export const UpdateCartItemSchema = z.strictObject({ quantity: QuantitySchema }).openapi("UpdateCartItemRequest");

export const CartSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        product_id: z.string(),
        variant_id: z.string(),
        name: z.string(),
        variant_title: z.string().openapi({ example: "M / Red" }),
        sku: z.string(),
        unit_price_amount: z.number().int().openapi({ description: "Current price" }),
        quantity: z.number().int(),
        line_amount: z.number().int().openapi({ description: "unit × quantity; 0 when the product is unavailable" }),
        discount_amount: z.number().int().openapi({ description: "This line's share of the discount" }),
        tax_amount: z
          .number()
          .int()
          .openapi({ description: "Tax on the line after its discount (inside line_amount when prices include tax)" }),
        available: z.boolean(),
      }),
    ),
    subtotal_amount: z.number().int().openapi({ description: "Sum of available lines, in the smallest currency unit" }),
    discount: z
      .object({
        code: z.string(),
        kind: z.enum(DISCOUNT_KINDS),
        amount: z.number().int(),
      })
      .nullable()
      .openapi({ description: "The code applied and what it takes off (a free-shipping code takes shipping)" }),
    discount_amount: z.number().int(),
    destination: z
      .object({ country: z.string(), region: z.string().nullable() })
      .nullable()
      .openapi({ description: "Where the cart is priced for (PUT /api/cart/shipping); null until set" }),
    shipping_method: z
      .object({ id: z.string(), name: z.string(), amount: z.number().int() })
      .nullable()
      .openapi({ description: "The method chosen, with what it costs for this cart" }),
    shipping_amount: z.number().int(),
    tax_amount: z.number().int().openapi({ description: "Tax on the lines and shipping at the destination's rate" }),
    tax_rate_bps: z.number().int().openapi({ description: "The destination's rate in basis points (2000 = 20 %)" }),
    prices_include_tax: z.boolean(),
    total_amount: z.number().int().openapi({
      description: "subtotal − discount + shipping (+ tax when prices exclude it): what checkout will charge",
    }),
    currency: z.string(),
    item_count: z.number().int(),
    expires_at: z.string().optional().openapi({
      format: "date-time",
      description: "Guest carts only: when the cart and its token stop working; every change moves it forward",
    }),
    warnings: z.array(
      z.object({
        code: z.enum(["product_unavailable", "insufficient_stock"]),
        item_id: z.string(),
        product_id: z.string(),
        variant_id: z.string(),
        available: z.number().int().optional(),
        message: z.string(),
      }),
    ),
    notices: z.array(z.object({ code: z.string(), message: z.string() })).openapi({
      description:
        "Why the cart's code or shipping method does not count now: `code` is the problem type applying it would answer (`discount_minimum_not_met`, `discount_expired`, …), or `discount_not_found`, `shipping_method_unavailable`",
    }),
  })
  .openapi("Cart");

export const ApplyDiscountSchema = z
  .strictObject({ code: z.string().trim().min(1).max(64).openapi({ example: "WELCOME10" }) })
  .openapi("ApplyDiscountRequest");

export const CartShippingSchema = z
  .strictObject({
    country: CountryCodeSchema,
    region: z.string().trim().max(100).optional().openapi({ description: "State or province, for regional tax" }),
    shipping_method_id: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "One of GET /api/cart/shipping-options for this country" }),
  })
  .openapi("CartShippingRequest");

export const ShippingOptionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    rate_kind: z.enum(SHIPPING_RATE_KINDS),
    amount: z.number().int().openapi({ description: "What this method costs for the cart as it is now" }),
    free_over_amount: z.number().int().nullable(),
  })
  .openapi("ShippingOption");

export type CartView = z.infer<typeof CartSchema>;
