import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
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

export const createProduct = defineRoute({
  operationId: "adminCreateProduct",
  location: "/api/admin/products/{id}",
  tag: "Admin: products",
  access: "admin",
  method: "post",
  path: "/api/admin/products",
  summary: "Create a product with its options, variants, images and categories",
  description:
    "0 to 3 options, each with its values; 1 to 100 variants, each one distinct combination of one value per option (a product without options has exactly one variant). Skus are unique across the store.",
  request: { body: jsonBody(CreateProductSchema) },
  responses: {
    201: jsonContent(AdminProductSchema, "Created (Location: /api/admin/products/{id})"),
    409: problemContent("A sku is taken (`sku_conflict`)"),
    422: problemContent("Invalid input (a combination, a duplicate sku, an unknown category)"),
  },
});

export const listProducts = defineRoute({
  operationId: "adminListProducts",
  tag: "Admin: products",
  access: "admin",
  method: "get",
  path: "/api/admin/products",
  summary: "All products, including inactive and deleted ones, newest first",
  request: { query: AdminListProductsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AdminProductSchema), "A page"),
    422: problemContent("Invalid query"),
  },
});

export const getProduct = defineRoute({
  operationId: "adminGetProduct",
  tag: "Admin: products",
  access: "admin",
  method: "get",
  path: "/api/admin/products/{id}",
  summary: "One product, whatever its status",
  request: { params: ProductIdParams },
  responses: {
    200: jsonContent(AdminProductSchema, "The product"),
    404: problemContent("No such product"),
  },
});

export const updateProduct = defineRoute({
  operationId: "adminUpdateProduct",
  tag: "Admin: products",
  access: "admin",
  method: "patch",
  path: "/api/admin/products/{id}",
  summary: "Change a product's name, description, status or categories",
  request: { params: ProductIdParams, body: jsonBody(UpdateProductSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The updated product"),
    404: problemContent("No such product"),
    422: problemContent("Invalid input, or an unknown category"),
  },
});

export const deleteProduct = defineRoute({
  operationId: "adminDeleteProduct",
  tag: "Admin: products",
  access: "admin",
  method: "delete",
  path: "/api/admin/products/{id}",
  summary: "Soft-delete a product",
  description: "Hidden from the catalog and from new carts; orders keep their snapshot. Restorable.",
  request: { params: ProductIdParams },
  responses: { 204: { description: "Deleted" }, 404: problemContent("No such product") },
});

export const restoreProduct = defineRoute({
  operationId: "adminRestoreProduct",
  tag: "Admin: products",
  access: "admin",
  method: "post",
  path: "/api/admin/products/{id}/restore",
  summary: "Undo a soft delete",
  request: { params: ProductIdParams },
  responses: { 200: jsonContent(AdminProductSchema, "Restored"), 404: problemContent("No such product") },
});

export const replaceOptions = defineRoute({
  operationId: "adminReplaceProductOptions",
  tag: "Admin: products",
  access: "admin",
  method: "put",
  path: "/api/admin/products/{id}/options",
  summary: "Rename options, add, reorder or remove their values",
  description:
    "The same options in the same order: names may change; values may be added (no variant is added by itself), reordered, or removed when no live variant uses them. Options cannot be added or removed once a product exists.",
  request: { params: ProductIdParams, body: jsonBody(ReplaceOptionsSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The product"),
    404: problemContent("No such product"),
    409: problemContent("`options_fixed` (a different number of options) or `option_value_in_use`"),
    422: problemContent("Invalid input"),
  },
});

export const replaceImages = defineRoute({
  operationId: "adminReplaceProductImages",
  tag: "Admin: products",
  access: "admin",
  method: "put",
  path: "/api/admin/products/{id}/images",
  summary: "Set the product's images, in order",
  request: { params: ProductIdParams, body: jsonBody(ReplaceImagesSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The product"),
    404: problemContent("No such product"),
    422: problemContent("Invalid input, or a variant of another product"),
  },
});

export const addVariant = defineRoute({
  operationId: "adminAddVariant",
  location: "/api/admin/variants/{id}",
  tag: "Admin: products",
  access: "admin",
  method: "post",
  path: "/api/admin/products/{id}/variants",
  summary: "Add a variant: one value of each of the product's options",
  request: { params: ProductIdParams, body: jsonBody(CreateVariantSchema) },
  responses: {
    201: jsonContent(AdminVariantSchema, "Created (Location: /api/admin/variants/{id})"),
    404: problemContent("No such product"),
    409: problemContent("`sku_conflict`, `variant_exists` (these option values), `variant_limit` (100)"),
    422: problemContent("Invalid input, or options the product does not have"),
  },
});

export const getVariant = defineRoute({
  operationId: "adminGetVariant",
  tag: "Admin: products",
  access: "admin",
  method: "get",
  path: "/api/admin/variants/{id}",
  summary: "One variant, whatever its status",
  request: { params: VariantIdParams },
  responses: {
    200: jsonContent(AdminVariantSchema, "The variant"),
    404: problemContent("No such variant"),
  },
});

export const updateVariant = defineRoute({
  operationId: "adminUpdateVariant",
  tag: "Admin: products",
  access: "admin",
  method: "patch",
  path: "/api/admin/variants/{id}",
  summary: "Change a variant's sku, price, compare-at price, weight or status",
  description:
    "Option values are fixed: add a variant for another combination. Stock: `/api/admin/variants/{id}/inventory`.",
  request: { params: VariantIdParams, body: jsonBody(UpdateVariantSchema) },
  responses: {
    200: jsonContent(AdminVariantSchema, "The variant"),
    404: problemContent("No such variant"),
    409: problemContent("The sku is taken"),
    422: problemContent("Invalid input (compare_at_amount must stay above price_amount)"),
  },
});

export const deleteVariant = defineRoute({
  operationId: "adminDeleteVariant",
  tag: "Admin: products",
  access: "admin",
  method: "delete",
  path: "/api/admin/variants/{id}",
  summary: "Delete a variant",
  description:
    "Soft when orders refer to it (they keep their lines; carts show it unavailable), for good otherwise (its cart lines go too). A product keeps at least one live variant.",
  request: { params: VariantIdParams },
  responses: {
    204: { description: "Deleted" },
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
