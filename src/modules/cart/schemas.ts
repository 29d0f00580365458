import { z } from "@hono/zod-openapi";

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
        available: z.boolean(),
      }),
    ),
    subtotal_amount: z.number().int().openapi({ description: "Sum of available lines, in the smallest currency unit" }),
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
  })
  .openapi("Cart");

export type CartView = z.infer<typeof CartSchema>;
