import { createRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import {
  AdminProductSchema,
  AdminVariantSchema,
  CreateProductSchema,
  CreateVariantSchema,
  ProductIdParams,
  ReplaceImagesSchema,
  ReplaceOptionsSchema,
  UpdateProductSchema,
  UpdateVariantSchema,
  VariantIdParams,
} from "./schemas";

const PRODUCT_STATUSES = ["all", "active", "inactive", "deleted"] as const;

const AdminListProductsQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(PRODUCT_STATUSES).default("all"),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Part of the name or of a variant's sku" }),
});

const tags = ["Admin: products"];
const security = [{ bearerAuth: [] }];
const guarded = { 401: problemContent("Not signed in"), 403: problemContent("Not an admin") };

export const createProduct = createRoute({
  method: "post",
  path: "/api/admin/products",
  tags,
  security,
  summary: "Create a product with its options, variants, images and categories",
  description:
    "0 to 3 options, each with its values; 1 to 100 variants, each one distinct combination of one value per option (a product without options has exactly one variant). Skus are unique across the store.",
  request: { body: jsonBody(CreateProductSchema) },
  responses: {
    201: jsonContent(AdminProductSchema, "Created (Location: /api/admin/products/{id})"),
    ...guarded,
    409: problemContent("A sku is taken (`sku_conflict`)"),
    422: problemContent("Invalid input (a combination, a duplicate sku, an unknown category)"),
  },
});

export const listProducts = createRoute({
  method: "get",
  path: "/api/admin/products",
  tags,
  security,
  summary: "All products, including inactive and deleted ones, newest first",
  request: { query: AdminListProductsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AdminProductSchema), "A page"),
    ...guarded,
    422: problemContent("Invalid query"),
  },
});

export const getProduct = createRoute({
  method: "get",
  path: "/api/admin/products/{id}",
  tags,
  security,
  summary: "One product, whatever its status",
  request: { params: ProductIdParams },
  responses: {
    200: jsonContent(AdminProductSchema, "The product"),
    ...guarded,
    404: problemContent("No such product"),
  },
});

export const updateProduct = createRoute({
  method: "patch",
  path: "/api/admin/products/{id}",
  tags,
  security,
  summary: "Change a product's name, description, status or categories",
  request: { params: ProductIdParams, body: jsonBody(UpdateProductSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The updated product"),
    ...guarded,
    404: problemContent("No such product"),
    422: problemContent("Invalid input, or an unknown category"),
  },
});

export const deleteProduct = createRoute({
  method: "delete",
  path: "/api/admin/products/{id}",
  tags,
  security,
  summary: "Soft-delete a product",
  description: "Hidden from the catalog and from new carts; orders keep their snapshot. Restorable.",
  request: { params: ProductIdParams },
  responses: { 204: { description: "Deleted" }, ...guarded, 404: problemContent("No such product") },
});

export const restoreProduct = createRoute({
  method: "post",
  path: "/api/admin/products/{id}/restore",
  tags,
  security,
  summary: "Undo a soft delete",
  request: { params: ProductIdParams },
  responses: { 200: jsonContent(AdminProductSchema, "Restored"), ...guarded, 404: problemContent("No such product") },
});

export const replaceOptions = createRoute({
  method: "put",
  path: "/api/admin/products/{id}/options",
  tags,
  security,
  summary: "Rename options, add, reorder or remove their values",
  description:
    "The same options in the same order: names may change; values may be added (no variant is added by itself), reordered, or removed when no live variant uses them. Options cannot be added or removed once a product exists.",
  request: { params: ProductIdParams, body: jsonBody(ReplaceOptionsSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The product"),
    ...guarded,
    404: problemContent("No such product"),
    409: problemContent("`options_fixed` (a different number of options) or `option_value_in_use`"),
    422: problemContent("Invalid input"),
  },
});

export const replaceImages = createRoute({
  method: "put",
  path: "/api/admin/products/{id}/images",
  tags,
  security,
  summary: "Set the product's images, in order",
  request: { params: ProductIdParams, body: jsonBody(ReplaceImagesSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The product"),
    ...guarded,
    404: problemContent("No such product"),
    422: problemContent("Invalid input, or a variant of another product"),
  },
});

export const addVariant = createRoute({
  method: "post",
  path: "/api/admin/products/{id}/variants",
  tags,
  security,
  summary: "Add a variant: one value of each of the product's options",
  request: { params: ProductIdParams, body: jsonBody(CreateVariantSchema) },
  responses: {
    201: jsonContent(AdminVariantSchema, "Created (Location: /api/admin/variants/{id})"),
    ...guarded,
    404: problemContent("No such product"),
    409: problemContent("`sku_conflict`, `variant_exists` (these option values), `variant_limit` (100)"),
    422: problemContent("Invalid input, or options the product does not have"),
  },
});

export const getVariant = createRoute({
  method: "get",
  path: "/api/admin/variants/{id}",
  tags,
  security,
  summary: "One variant, whatever its status",
  request: { params: VariantIdParams },
  responses: {
    200: jsonContent(AdminVariantSchema, "The variant"),
    ...guarded,
    404: problemContent("No such variant"),
  },
});

export const updateVariant = createRoute({
  method: "patch",
  path: "/api/admin/variants/{id}",
  tags,
  security,
  summary: "Change a variant's sku, price, compare-at price, weight or status",
  description:
    "Option values are fixed: add a variant for another combination. Stock: `/api/admin/variants/{id}/inventory`.",
  request: { params: VariantIdParams, body: jsonBody(UpdateVariantSchema) },
  responses: {
    200: jsonContent(AdminVariantSchema, "The variant"),
    ...guarded,
    404: problemContent("No such variant"),
    409: problemContent("The sku is taken"),
    422: problemContent("Invalid input (compare_at_amount must stay above price_amount)"),
  },
});

export const deleteVariant = createRoute({
  method: "delete",
  path: "/api/admin/variants/{id}",
  tags,
  security,
  summary: "Delete a variant",
  description:
    "Soft when orders refer to it (they keep their lines; carts show it unavailable), for good otherwise (its cart lines go too). A product keeps at least one live variant.",
  request: { params: VariantIdParams },
  responses: {
    204: { description: "Deleted" },
    ...guarded,
    404: problemContent("No such variant"),
    409: problemContent("`last_variant`"),
  },
});

export type CreateProductRoute = typeof createProduct;
export type AdminListProductsRoute = typeof listProducts;
export type AdminGetProductRoute = typeof getProduct;
export type UpdateProductRoute = typeof updateProduct;
export type DeleteProductRoute = typeof deleteProduct;
export type RestoreProductRoute = typeof restoreProduct;
export type ReplaceOptionsRoute = typeof replaceOptions;
export type ReplaceImagesRoute = typeof replaceImages;
export type AddVariantRoute = typeof addVariant;
export type GetVariantRoute = typeof getVariant;
export type UpdateVariantRoute = typeof updateVariant;
export type DeleteVariantRoute = typeof deleteVariant;
