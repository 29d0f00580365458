import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import {
  AdminCategorySchema,
  CategoryIdParams,
  CreateCategorySchema,
  DeleteCategoryQuerySchema,
  UpdateCategorySchema,
} from "./schemas";

export const listCategories = defineRoute({
  operationId: "adminListCategories",
  tag: "Admin: categories",
  access: "admin",
  method: "get",
  path: "/api/admin/categories",
  summary: "Every category, depth-first, with the number of products in each (its subtree included)",
  responses: {
    200: jsonContent(
      z.object({ data: z.array(AdminCategorySchema) }),
      "Each category after its parent, siblings by position then name",
    ),
  },
});

export const getCategory = defineRoute({
  operationId: "adminGetCategory",
  tag: "Admin: categories",
  access: "admin",
  method: "get",
  path: "/api/admin/categories/{id}",
  summary: "One category, with the number of products in it or below it",
  request: { params: CategoryIdParams },
  responses: {
    200: jsonContent(AdminCategorySchema, "The category"),
    404: problemContent("No such category"),
  },
});

export const createCategory = defineRoute({
  operationId: "adminCreateCategory",
  location: "/api/admin/categories/{id}",
  tag: "Admin: categories",
  access: "admin",
  method: "post",
  path: "/api/admin/categories",
  summary: "Create a category, top-level or under a parent",
  description: "Categories nest at most 5 deep. Slugs are unique across the store.",
  request: { body: jsonBody(CreateCategorySchema) },
  responses: {
    201: jsonContent(AdminCategorySchema, "Created (Location: /api/admin/categories/{id})"),
    409: problemContent("`slug_conflict`, or `category_too_deep` (the parent is at depth 5)"),
    422: problemContent("Invalid input, or an unknown parent (`body.parent_id`)"),
  },
});

export const updateCategory = defineRoute({
  operationId: "adminUpdateCategory",
  tag: "Admin: categories",
  access: "admin",
  method: "patch",
  path: "/api/admin/categories/{id}",
  summary: "Rename, reorder or move a category",
  description:
    "Moving (`parent_id`) takes everything below the category along. Refused when the new parent is the category itself or below it, or when the deepest category of the moved subtree would end up below depth 5.",
  request: { params: CategoryIdParams, body: jsonBody(UpdateCategorySchema) },
  responses: {
    200: jsonContent(AdminCategorySchema, "The updated category"),
    404: problemContent("No such category"),
    409: problemContent("`slug_conflict`, `category_cycle` or `category_too_deep`"),
    422: problemContent("Invalid input, or an unknown parent (`body.parent_id`)"),
  },
});

export const deleteCategory = defineRoute({
  operationId: "adminDeleteCategory",
  tag: "Admin: categories",
  access: "admin",
  method: "delete",
  path: "/api/admin/categories/{id}",
  summary: "Delete a category without children",
  description:
    "A category with products in it (whatever their status) is deleted only with `move_products_to`: its products are put in that category (once) and the category deleted, in one transaction.",
  request: { params: CategoryIdParams, query: DeleteCategoryQuerySchema },
  responses: {
    204: { description: "Deleted" },
    404: problemContent("No such category"),
    409: problemContent(
      "`category_has_children`, or `category_not_empty` without `move_products_to` (with `product_count`)",
    ),
    422: problemContent("`move_products_to` is this category or an unknown one"),
  },
});

export type AdminListCategoriesRoute = typeof listCategories;
export type GetCategoryRoute = typeof getCategory;
export type CreateCategoryRoute = typeof createCategory;
export type UpdateCategoryRoute = typeof updateCategory;
export type DeleteCategoryRoute = typeof deleteCategory;
