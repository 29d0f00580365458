import { conditionalGet } from "../../platform/http/middleware/conditional-get";
import { defineRoute, jsonContent, z } from "../../platform/http/openapi";
import { categoriesAtEdge } from "./edge-cache";
import { CategorySchema } from "./schemas";

export const listCategories = defineRoute({
  operationId: "listCategories",
  tag: "Catalog",
  access: "public",
  method: "get",
  path: "/api/categories",
  summary: "The category tree, with the number of products for sale in each (its subtree included)",
  middleware: [conditionalGet(), categoriesAtEdge],
  responses: {
    200: jsonContent(
      z.object({ data: z.array(CategorySchema) }),
      "Every category, depth-first: each after its parent, siblings by position",
    ),
    304: { description: "Not modified (If-None-Match)" },
  },
});

export type ListCategoriesRoute = typeof listCategories;
