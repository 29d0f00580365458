import { z } from "@hono/zod-openapi";
import { CountryCodeSchema } from "../../platform/countries";
import { ORDER_STATUSES } from "./tables";

const line = (max: number) => z.string().trim().min(1).max(max);

export const OrderIdParams = z.object({ id: z.string().min(1).max(64).openapi({ description: "The order's id" }) });

export const ShippingAddressSchema = z
  .strictObject({
    name: line(200),
    line1: line(200),
    line2: z.string().trim().max(200).optional(),
    city: line(100),
    region: z.string().trim().max(100).optional(),
    postal_code: line(20),
    country: CountryCodeSchema,
  })
  .openapi("ShippingAddress");

export const CheckoutSchema = z
  .strictObject({
    shipping_address: ShippingAddressSchema,
    shipping_method_id: z.string().min(1).max(64).openapi({
      description: "One of GET /api/cart/shipping-options for the address's country",
      example: "shm_standard",
    }),
    email: z
      .email()
      .max(254)
      .optional()
      .openapi({ description: "Guests only (required): where the order, its emails and its link go" }),
    note: z.string().trim().max(500).optional(),
  })
  .openapi("CheckoutRequest");

const OrderItemSchema = z.object({
  product_id: z.string(),
  variant_id: z.string(),
  name: z.string().openapi({ description: "The product's name when bought" }),
  variant_title: z.string().openapi({ description: "The variant's title when bought", example: "M / Red" }),
  sku: z.string().openapi({ description: "The variant's sku when bought" }),
  unit_price_amount: z.number().int(),
  quantity: z.number().int(),
  line_amount: z.number().int(),
  discount_amount: z.number().int().openapi({ description: "This line's share of the discount" }),
  tax_amount: z.number().int().openapi({ description: "Tax on the line after its discount" }),
});

const OrderEventSchema = z.object({
  from: z.enum(ORDER_STATUSES).nullable(),
  to: z.enum(ORDER_STATUSES),
  actor_id: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string().openapi({ format: "date-time" }),
});

export const OrderSchema = z
  .object({
    id: z.string().openapi({ example: "ord_2a7f0c9k1m3p5r7t9v1x3z5b7d" }),
    status: z.enum(ORDER_STATUSES),
    items: z.array(OrderItemSchema),
    subtotal_amount: z.number().int(),
    discount_code: z.string().nullable(),
    discount_amount: z.number().int(),
    shipping_method: z.object({ id: z.string(), name: z.string() }).nullable(),
    shipping_amount: z.number().int(),
    tax_amount: z.number().int().openapi({ description: "Tax on the lines and shipping" }),
    prices_include_tax: z
      .boolean()
      .openapi({ description: "True: the tax is inside the prices; false: it was added to the total" }),
    total_amount: z
      .number()
      .int()
      .openapi({ description: "subtotal − discount + shipping (+ tax when added): what was charged" }),
    refunded_amount: z.number().int(),
    refunded_tax_amount: z.number().int().openapi({ description: "The tax part of the refunds, in proportion" }),
    currency: z.string(),
    shipping_address: ShippingAddressSchema,
    note: z.string().nullable(),
    tracking_reference: z.string().nullable().openapi({ description: "The carrier's reference, once shipped" }),
    expires_at: z.string().nullable().openapi({ description: "When an unpaid order expires" }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    events: z.array(OrderEventSchema),
  })
  .openapi("Order");

export const CheckoutResultSchema = OrderSchema.extend({
  payment: z.object({
    provider: z.string(),
    intent_id: z.string(),
    client_secret: z.string().openapi({ description: "For the storefront to confirm the payment; shown at checkout" }),
    status: z.string(),
  }),
}).openapi("CheckoutResult");

export type OrderView = z.infer<typeof OrderSchema>;
