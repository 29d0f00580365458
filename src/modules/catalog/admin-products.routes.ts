import { createRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import { AdminProductSchema, CreateProductSchema, UpdateProductSchema } from "./schemas";

const PRODUCT_STATUSES = ["all", "active", "inactive", "deleted"] as const;

const AdminListProductsQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(PRODUCT_STATUSES).default("all"),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Part of the name or sku" }),
});

const ProductIdParams = z.object({ id: z.string().min(1).max(64) });
const tags = ["Admin: products"];
const security = [{ bearerAuth: [] }];
const guarded = { 401: problemContent("Not signed in"), 403: problemContent("Not an admin") };

export const createProduct = createRoute({
  method: "post",
  path: "/api/admin/products",
  tags,
  security,
  summary: "Create a product",
  request: { body: jsonBody(CreateProductSchema) },
  responses: {
    201: jsonContent(AdminProductSchema, "Created (Location: /api/admin/products/{id})"),
    ...guarded,
    409: problemContent("The sku is taken"),
    422: problemContent("Invalid input"),
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
  summary: "Change a product",
  request: { params: ProductIdParams, body: jsonBody(UpdateProductSchema) },
  responses: {
    200: jsonContent(AdminProductSchema, "The updated product"),
    ...guarded,
    404: problemContent("No such product"),
    409: problemContent("The sku is taken"),
    422: problemContent("Invalid input"),
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

export type CreateProductRoute = typeof createProduct;
export type AdminListProductsRoute = typeof listProducts;
export type AdminGetProductRoute = typeof getProduct;
export type UpdateProductRoute = typeof updateProduct;
export type DeleteProductRoute = typeof deleteProduct;
export type RestoreProductRoute = typeof restoreProduct;
