import { conditionalGet } from "../../platform/http/middleware/conditional-get";
import { defineRoute, jsonContent, problemContent } from "../../platform/http/openapi";
import { pageSchema } from "../../platform/http/pagination";
import { productAtEdge, productListAtEdge } from "./edge-cache";
import { ListProductsQuerySchema, ProductIdParams, ProductSchema, ProductSummarySchema } from "./schemas";

// Public answers come from the edge cache when it holds them; conditionalGet() runs outside it, so a cached answer still
// lets clients revalidate with If-None-Match (304).
const revalidatable = conditionalGet();

export const listProducts = defineRoute({
  operationId: "listProducts",
  tag: "Catalog",
  access: "public",
  method: "get",
  path: "/api/products",
  summary: "Browse and search the catalog",
  middleware: [revalidatable, productListAtEdge],
  request: { query: ListProductsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(ProductSummarySchema), "A page of products"),
    304: { description: "Not modified (If-None-Match)" },
    422: problemContent("Invalid query"),
  },
});

export const getProduct = defineRoute({
  operationId: "getProduct",
  tag: "Catalog",
  access: "public",
  method: "get",
  path: "/api/products/{id}",
  summary: "One product, with its options, variants for sale, images and categories",
  middleware: [revalidatable, productAtEdge],
  request: { params: ProductIdParams },
  responses: {
    200: jsonContent(ProductSchema, "The product"),
    304: { description: "Not modified (If-None-Match)" },
    404: problemContent("No such product, or not for sale"),
  },
});

export type ListProductsRoute = typeof listProducts;
export type GetProductRoute = typeof getProduct;
