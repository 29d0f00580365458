/** Catalog schemas, defined once for validation and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { PaginationQuerySchema } from "../../platform/http/pagination";
import { PRODUCT_SORTS } from "./search";
import type { CategoryRow } from "./tables";
import { combinationKey, combinationOf, duplicatesOf, MAX_OPTIONS, MAX_VARIANTS } from "./variants";

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
const CategorySlugSchema = z
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
    .openapi({ description: "Full-text search over name, description, variant skus and option values" }),
  category: CategorySlugSchema.optional().openapi({
    description: "A category's slug: products in it or any category below it",
  }),
  min_price: PriceBound.optional(),
  max_price: PriceBound.optional(),
  in_stock: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true`: only products with a variant in stock (in the price range, if one is given)" }),
  sort: z.enum(PRODUCT_SORTS).optional().openapi({
    description:
      "Default `relevance` with `q`, else `-created_at`. `price`: lowest variant price first; `-price`: highest variant price first. Ties are broken by id",
  }),
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

export const ProductIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The product's id", example: "prd_1c8s0k2m4n6p8r0t2v4x6z8b0d" }),
});
export const VariantIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The variant's id", example: "var_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
});

const ResourceIdSchema = z.string().min(1).max(64);
const OptionNameSchema = z.string().trim().min(1).max(50).openapi({ example: "Size" });
const OptionValueSchema = z.string().trim().min(1).max(50).openapi({ example: "M" });
const AltTextSchema = z.string().trim().max(300).default("").openapi({ example: "The shirt, front" });
const CompareAtSchema = PriceAmountSchema.nullable().openapi({
  description: "The former price shown struck through; above price_amount",
  example: 1599,
});
const WeightSchema = z.number().int().min(0).max(1_000_000).nullable().openapi({ description: "Grams", example: 180 });
const InitialStockSchema = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .default(0)
  .openapi({ description: "Units on hand at creation" });

const OptionInputSchema = z
  .strictObject({
    name: OptionNameSchema,
    values: z
      .array(OptionValueSchema)
      .min(1)
      .max(50)
      .openapi({ example: ["S", "M", "L"] }),
  })
  .superRefine((option, context) => {
    for (const value of duplicatesOf(option.values)) {
      context.addIssue({ code: "custom", path: ["values"], message: `"${value}" is listed twice` });
    }
  })
  .openapi("ProductOptionInput");

const OptionsInputSchema = z
  .array(OptionInputSchema)
  .max(MAX_OPTIONS)
  .superRefine((options, context) => {
    for (const name of duplicatesOf(options.map((option) => option.name))) {
      context.addIssue({ code: "custom", message: `Two options are named "${name}"` });
    }
  });

/** What a variant is given: chosen option values by option name (`{}` for a product without options). */
const VariantFieldsSchema = z.strictObject({
  sku: SkuSchema,
  price_amount: PriceAmountSchema,
  compare_at_amount: CompareAtSchema.optional(),
  weight_grams: WeightSchema.optional(),
  is_active: z.boolean().default(true),
  initial_stock: InitialStockSchema,
  options: z
    .record(OptionNameSchema, OptionValueSchema)
    .default({})
    .openapi({ description: "One value of each of the product's options, by option name", example: { Size: "M" } }),
});

function compareAtAbovePrice(variant: { price_amount?: number; compare_at_amount?: number | null | undefined }) {
  return (
    variant.compare_at_amount === undefined ||
    variant.compare_at_amount === null ||
    variant.price_amount === undefined ||
    variant.compare_at_amount > variant.price_amount
  );
}
const COMPARE_AT_RULE = { path: ["compare_at_amount"], message: "must be above price_amount" };

export const CreateVariantSchema = VariantFieldsSchema.refine(compareAtAbovePrice, COMPARE_AT_RULE).openapi(
  "CreateVariantRequest",
);

const ImageInputSchema = z.strictObject({
  url: ImageUrlSchema,
  alt: AltTextSchema,
});

export const CreateProductSchema = z
  .strictObject({
    name: ProductNameSchema,
    description: DescriptionSchema.default(""),
    is_active: z.boolean().default(true),
    options: OptionsInputSchema.default([]),
    variants: z.array(CreateVariantSchema).min(1).max(MAX_VARIANTS),
    category_ids: z.array(ResourceIdSchema).max(20).default([]),
    images: z
      .array(
        ImageInputSchema.extend({
          variant_sku: SkuSchema.optional().openapi({ description: "Show this image for the variant with this sku" }),
        }),
      )
      .max(20)
      .default([]),
  })
  .superRefine((product, context) => {
    const combinations = new Map<string, number>();
    for (const [index, variant] of product.variants.entries()) {
      const combination = combinationOf(product.options, variant.options);
      if (!combination.ok) {
        context.addIssue({ code: "custom", path: ["variants", index, "options"], message: combination.message });
        continue;
      }
      const key = combinationKey(combination.values);
      const first = combinations.get(key);
      if (first !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["variants", index, "options"],
          message: `Same options as variant ${first}: each variant is a different combination`,
        });
      }
      combinations.set(key, index);
    }
    for (const sku of duplicatesOf(product.variants.map((variant) => variant.sku))) {
      context.addIssue({ code: "custom", path: ["variants"], message: `Two variants have the sku "${sku}"` });
    }
    const skus = new Set(product.variants.map((variant) => variant.sku.toLowerCase()));
    for (const [index, image] of product.images.entries()) {
      if (image.variant_sku !== undefined && !skus.has(image.variant_sku.toLowerCase())) {
        context.addIssue({
          code: "custom",
          path: ["images", index, "variant_sku"],
          message: "No variant has this sku",
        });
      }
    }
  })
  .openapi("CreateProductRequest");

export const UpdateProductSchema = z
  .strictObject({
    name: ProductNameSchema.optional(),
    description: DescriptionSchema.optional(),
    is_active: z.boolean().optional(),
    category_ids: z.array(ResourceIdSchema).max(20).optional().openapi({ description: "Replaces the categories" }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateProductRequest");

export const UpdateVariantSchema = z
  .strictObject({
    sku: SkuSchema.optional(),
    price_amount: PriceAmountSchema.optional(),
    compare_at_amount: CompareAtSchema.optional(),
    weight_grams: WeightSchema.optional(),
    is_active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .refine(compareAtAbovePrice, COMPARE_AT_RULE)
  .openapi("UpdateVariantRequest");

export const ReplaceOptionsSchema = z.strictObject({ options: OptionsInputSchema }).openapi("ReplaceOptionsRequest");

export const ReplaceImagesSchema = z
  .strictObject({
    images: z
      .array(ImageInputSchema.extend({ variant_id: ResourceIdSchema.nullable().optional() }))
      .max(20)
      .openapi({ description: "The product's images in display order; replaces the ones it has" }),
  })
  .openapi("ReplaceImagesRequest");

const ProductOptionSchema = z.object({ name: z.string(), values: z.array(z.string()) }).openapi("ProductOption");
const ProductImageSchema = z
  .object({ url: z.string(), alt: z.string(), variant_id: z.string().nullable() })
  .openapi("ProductImage");
const CategoryRefSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() }).openapi("CategoryRef");

const VariantSchema = z
  .object({
    id: z.string().openapi({ example: "var_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
    sku: z.string(),
    title: z.string().openapi({ example: "M / Red" }),
    options: z.record(z.string(), z.string()).openapi({ example: { Size: "M", Color: "Red" } }),
    price_amount: z.number().int(),
    compare_at_amount: z.number().int().nullable(),
    weight_grams: z.number().int().nullable(),
    stock_available: z.number().int().openapi({ description: "Units available now (advisory; checkout reserves)" }),
    in_stock: z.boolean(),
  })
  .openapi("Variant");

/** What a product shows in a list and on its page alike. */
const ProductBase = {
  id: z.string().openapi({ example: "prd_1c8s0k2m4n6p8r0t2v4x6z8b0d" }),
  name: z.string(),
  description: z.string(),
  currency: z.string().openapi({ example: "usd" }),
  price_min_amount: z.number().int().nullable().openapi({ description: "Lowest price of a variant for sale" }),
  price_max_amount: z.number().int().nullable().openapi({ description: "Highest price of a variant for sale" }),
  in_stock: z.boolean().openapi({ description: "A variant for sale has stock available" }),
};

export const ProductSummarySchema = z
  .object({
    ...ProductBase,
    image: z.object({ url: z.string(), alt: z.string() }).nullable().openapi({ description: "The first image" }),
  })
  .openapi("ProductSummary");
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

export const ProductSchema = z
  .object({
    ...ProductBase,
    options: z.array(ProductOptionSchema),
    variants: z.array(VariantSchema).openapi({ description: "The variants for sale" }),
    images: z.array(ProductImageSchema),
    categories: z.array(CategoryRefSchema),
  })
  .openapi("Product");
export type PublicProduct = z.infer<typeof ProductSchema>;

export const AdminVariantSchema = VariantSchema.extend({
  product_id: z.string(),
  position: z.number().int(),
  is_active: z.boolean(),
  initial_stock: z.number().int(),
  stock_version: z.number().int(),
  created_at: z.string().openapi({ format: "date-time" }),
  updated_at: z.string().openapi({ format: "date-time" }),
  deleted_at: z.string().nullable().openapi({ format: "date-time" }),
}).openapi("AdminVariant");
export type AdminVariant = z.infer<typeof AdminVariantSchema>;

export const AdminProductSchema = ProductSchema.extend({
  variants: z.array(AdminVariantSchema).openapi({ description: "Every variant, inactive and deleted ones too" }),
  is_active: z.boolean(),
  created_at: z.string().openapi({ format: "date-time" }),
  updated_at: z.string().openapi({ format: "date-time" }),
  deleted_at: z.string().nullable().openapi({ format: "date-time" }),
}).openapi("AdminProduct");
export type AdminProduct = z.infer<typeof AdminProductSchema>;

export const CategorySchema = z
  .object({
    id: z.string().openapi({ example: "cat_3k5m7n9p1r3t5v7x9z1b3d5f7" }),
    slug: z.string().openapi({ example: "t-shirts" }),
    name: z.string().openapi({ example: "T-shirts" }),
    parent_id: z.string().nullable(),
    position: z.number().int(),
    depth: z.number().int().openapi({ description: "1 for a top-level category, at most 5" }),
    product_count: z.number().int().openapi({ description: "Products for sale in it or in a category below it" }),
  })
  .openapi("Category");

const CategoryNameSchema = z.string().trim().min(1).max(100).openapi({ example: "T-shirts" });
const CategoryPositionSchema = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .openapi({ description: "Order among its siblings (then by name)", example: 0 });
const ParentIdSchema = ResourceIdSchema.nullable().openapi({
  description: "The parent category; `null` for a top-level one",
  example: "cat_3k5m7n9p1r3t5v7x9z1b3d5f7",
});

export const CategoryIdParams = z.object({
  id: ResourceIdSchema.openapi({ description: "The category's id", example: "cat_3k5m7n9p1r3t5v7x9z1b3d5f7" }),
});

export const CreateCategorySchema = z
  .strictObject({
    slug: CategorySlugSchema,
    name: CategoryNameSchema,
    parent_id: ParentIdSchema.default(null),
    position: CategoryPositionSchema.default(0),
  })
  .openapi("CreateCategoryRequest");

export const UpdateCategorySchema = z
  .strictObject({
    slug: CategorySlugSchema.optional(),
    name: CategoryNameSchema.optional(),
    parent_id: ParentIdSchema.optional().openapi({
      description: "Moves the category, with everything below it; `null` makes it top-level",
    }),
    position: CategoryPositionSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateCategoryRequest");

export const DeleteCategoryQuerySchema = z.object({
  move_products_to: ResourceIdSchema.optional().openapi({
    description: "Another category's id: the products in this one are moved there, in the same transaction",
  }),
});

export const AdminCategorySchema = CategorySchema.extend({
  product_count: z.number().int().openapi({
    description:
      "Products in it or in a category below it, whatever their status: inactive and deleted ones keep a category from being deleted too",
  }),
  created_at: z.string().openapi({ format: "date-time" }),
  updated_at: z.string().openapi({ format: "date-time" }),
}).openapi("AdminCategory");
export type AdminCategory = z.infer<typeof AdminCategorySchema>;

export function toAdminCategory(category: CategoryRow, productCount: number): AdminCategory {
  return { ...toCategory(category, productCount), created_at: category.createdAt, updated_at: category.updatedAt };
}

export function toCategory(category: CategoryRow, productCount: number): z.infer<typeof CategorySchema> {
  return {
    id: category.id,
    slug: category.slug,
    name: category.name,
    parent_id: category.parentId,
    position: category.position,
    depth: category.depth,
    product_count: productCount,
  };
}
