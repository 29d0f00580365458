import { z } from "@hono/zod-openapi";
import { COUNTRY_CODES } from "./countries";
import { ORDER_STATUSES } from "./tables";

const line = (max: number) => z.string().trim().min(1).max(max);

export const ShippingAddressSchema = z
  .strictObject({
    name: line(200),
    line1: line(200),
    line2: z.string().trim().max(200).optional(),
    city: line(100),
    region: z.string().trim().max(100).optional(),
    postal_code: line(20),
    country: z
      .string()
      .length(2)
      .transform((code) => code.toUpperCase())
      .refine((code) => COUNTRY_CODES.has(code), "must be an ISO 3166-1 alpha-2 country code")
      .openapi({ example: "GB" }),
  })
  .openapi("ShippingAddress");

export const CheckoutSchema = z
  .strictObject({ shipping_address: ShippingAddressSchema, note: z.string().trim().max(500).optional() })
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
    total_amount: z.number().int(),
    refunded_amount: z.number().int(),
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
