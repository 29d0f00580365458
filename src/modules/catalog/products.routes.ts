import { etag } from "hono/etag";
import { createRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import { CategorySchema, MAX_PRICE_AMOUNT, ProductSchema } from "./schemas";
import { PRODUCT_SORTS } from "./search";

const PriceBound = z.coerce.number().int().min(0).max(MAX_PRICE_AMOUNT);

const ListProductsQuerySchema = PaginationQuerySchema.extend({
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

const ProductIdParams = z.object({ id: z.string().min(1).max(64) });
const CategoryCountSchema = z.object({ category: z.string(), product_count: z.number().int() }).openapi("Category");

const tags = ["Catalog"];
// Public responses are cacheable; the ETag lets clients revalidate with If-None-Match (304).
const cacheable = etag();

export const listProducts = createRoute({
  method: "get",
  path: "/api/products",
  tags,
  summary: "Browse and search the catalog",
  middleware: cacheable,
  request: { query: ListProductsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(ProductSchema), "A page of products"),
    304: { description: "Not modified (If-None-Match)" },
    422: problemContent("Invalid query"),
  },
});

export const getProduct = createRoute({
  method: "get",
  path: "/api/products/{id}",
  tags,
  summary: "One product",
  middleware: cacheable,
  request: { params: ProductIdParams },
  responses: {
    200: jsonContent(ProductSchema, "The product"),
    304: { description: "Not modified (If-None-Match)" },
    404: problemContent("No such product, or not for sale"),
  },
});

export const listCategories = createRoute({
  method: "get",
  path: "/api/categories",
  tags,
  summary: "Categories of products for sale, with counts",
  middleware: cacheable,
  responses: {
    200: jsonContent(z.object({ data: z.array(CategoryCountSchema) }), "Categories, alphabetical"),
    304: { description: "Not modified (If-None-Match)" },
  },
});

export type ListProductsRoute = typeof listProducts;
export type GetProductRoute = typeof getProduct;
export type ListCategoriesRoute = typeof listCategories;
