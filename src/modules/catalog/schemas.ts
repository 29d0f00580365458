/** Catalog schemas, defined once for validation and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { PaginationQuerySchema } from "../../platform/http/pagination";
import { PRODUCT_SORTS } from "./search";
import type { ProductRow } from "./tables";

const MAX_PRICE_AMOUNT = 1_000_000_000;

const SkuSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1 to 64 letters, digits, dots, underscores or dashes")
  .openapi({ example: "TEA-EARLGREY-100G" });
const ProductNameSchema = z.string().trim().min(1).max(200).openapi({ example: "Earl Grey, loose leaf, 100 g" });
const DescriptionSchema = z.string().max(5000);
const PriceAmountSchema = z
  .number()
  .int("must be an integer amount in the currency's smallest unit")
  .min(1)
  .max(MAX_PRICE_AMOUNT)
  .openapi({ description: "In the smallest unit of the store currency (cents for usd)", example: 1299 });
const CategorySchema = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/, "must be a slug: 1 to 64 lower-case letters, digits or dashes")
  .openapi({ example: "tea" });
const ImageUrlSchema = z
  .url({ protocol: /^https$/, error: "must be an https URL" })
  .max(2048)
  .openapi({ example: "https://cdn.example.com/tea.jpg" });

const PriceBound = z.coerce.number().int().min(0).max(MAX_PRICE_AMOUNT);

/** The public catalog's query: the route validates with it, and the edge cache keys by what it accepts. */
export const ListProductsQuerySchema = PaginationQuerySchema.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "Full-text search over name, description and sku" }),
  category: CategorySchema.optional(),
  min_price: PriceBound.optional(),
  max_price: PriceBound.optional(),
  in_stock: z.enum(["true", "false"]).optional().openapi({ description: "`true`: only products with stock available" }),
  sort: z
    .enum(PRODUCT_SORTS)
    .optional()
    .openapi({ description: "Default `relevance` with `q`, else `-created_at`; ties are broken by id" }),
})
  .refine(
    (query) => query.min_price === undefined || query.max_price === undefined || query.min_price <= query.max_price,
    {
      path: ["max_price"],
      message: "must not be below min_price",
    },
  )
  .refine((query) => query.sort !== "relevance" || query.q !== undefined, {
    path: ["sort"],
    message: "relevance needs q",
  });

export const ProductIdParams = z.object({ id: z.string().min(1).max(64) });

export const CreateProductSchema = z
  .strictObject({
    sku: SkuSchema,
    name: ProductNameSchema,
    description: DescriptionSchema.default(""),
    price_amount: PriceAmountSchema,
    category: CategorySchema.nullable().optional(),
    image_url: ImageUrlSchema.nullable().optional(),
    is_active: z.boolean().default(true),
    initial_stock: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(0)
      .openapi({ description: "Units on hand at creation" }),
  })
  .openapi("CreateProductRequest");

export const UpdateProductSchema = z
  .strictObject({
    sku: SkuSchema.optional(),
    name: ProductNameSchema.optional(),
    description: DescriptionSchema.optional(),
    price_amount: PriceAmountSchema.optional(),
    category: CategorySchema.nullable().optional(),
    image_url: ImageUrlSchema.nullable().optional(),
    is_active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateProductRequest");

export const ProductSchema = z
  .object({
    id: z.string().openapi({ example: "prd_1c8s0k2m4n6p8r0t2v4x6z8b0d" }),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    price_amount: z.number().int(),
    currency: z.string().openapi({ example: "usd" }),
    category: z.string().nullable(),
    image_url: z.string().nullable(),
    stock_available: z.number().int().openapi({ description: "Units available now (advisory; checkout reserves)" }),
    in_stock: z.boolean(),
  })
  .openapi("Product");
export type PublicProduct = z.infer<typeof ProductSchema>;

export const AdminProductSchema = ProductSchema.extend({
  is_active: z.boolean(),
  stock_version: z.number().int(),
  created_at: z.string().openapi({ format: "date-time" }),
  updated_at: z.string().openapi({ format: "date-time" }),
  deleted_at: z.string().nullable().openapi({ format: "date-time" }),
}).openapi("AdminProduct");

export function toPublicProduct(product: ProductRow): PublicProduct {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    price_amount: product.priceAmount,
    currency: product.currency,
    category: product.category,
    image_url: product.imageUrl,
    stock_available: product.stockAvailable,
    in_stock: product.stockAvailable > 0,
  };
}

export function toAdminProduct(product: ProductRow): z.infer<typeof AdminProductSchema> {
  return {
    ...toPublicProduct(product),
    is_active: product.isActive,
    stock_version: product.stockVersion,
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    deleted_at: product.deletedAt,
  };
}
