import { defineRoute, jsonBody, jsonContent, problemContent } from "../../platform/http/openapi";
import { pageSchema } from "../../platform/http/pagination";
import {
  AdminDiscountCodeSchema,
  CreateDiscountCodeSchema,
  DiscountCodeIdParams,
  ListDiscountCodesQuerySchema,
  UpdateDiscountCodeSchema,
} from "./schemas";

export const listDiscountCodes = defineRoute({
  operationId: "adminListDiscountCodes",
  tag: "Admin: discount codes",
  access: "admin",
  method: "get",
  path: "/api/admin/discount-codes",
  summary: "Discount codes (deleted ones left out), newest first",
  request: { query: ListDiscountCodesQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AdminDiscountCodeSchema), "A page"),
    422: problemContent("Invalid query"),
  },
});

export const getDiscountCode = defineRoute({
  operationId: "adminGetDiscountCode",
  tag: "Admin: discount codes",
  access: "admin",
  method: "get",
  path: "/api/admin/discount-codes/{id}",
  summary: "One discount code, with the number of orders using it",
  request: { params: DiscountCodeIdParams },
  responses: {
    200: jsonContent(AdminDiscountCodeSchema, "The code"),
    404: problemContent("No such code (or deleted)"),
  },
});

export const createDiscountCode = defineRoute({
  operationId: "adminCreateDiscountCode",
  location: "/api/admin/discount-codes/{id}",
  tag: "Admin: discount codes",
  access: "admin",
  method: "post",
  path: "/api/admin/discount-codes",
  summary: "Create a discount code",
  description:
    "Codes are unique whatever their case, deleted ones included (orders name them). `value` depends on `kind`; `target_ids` are products or categories when `applies_to` says so; `starts_at` comes before `ends_at`.",
  request: { body: jsonBody(CreateDiscountCodeSchema) },
  responses: {
    201: jsonContent(AdminDiscountCodeSchema, "Created (Location: /api/admin/discount-codes/{id})"),
    409: problemContent("`code_taken`"),
    422: problemContent("Invalid input, or an unknown product or category (`body.target_ids.<index>`)"),
  },
});

export const updateDiscountCode = defineRoute({
  operationId: "adminUpdateDiscountCode",
  tag: "Admin: discount codes",
  access: "admin",
  method: "patch",
  path: "/api/admin/discount-codes/{id}",
  summary: "Change a discount code",
  description:
    "The rules between fields hold for the code as changed. `code` changes only while no order has ever used it (`code_in_use`).",
  request: { params: DiscountCodeIdParams, body: jsonBody(UpdateDiscountCodeSchema) },
  responses: {
    200: jsonContent(AdminDiscountCodeSchema, "The updated code"),
    404: problemContent("No such code (or deleted)"),
    409: problemContent("`code_taken`, or `code_in_use`"),
    422: problemContent("Invalid input, or an unknown product or category"),
  },
});

export const deleteDiscountCode = defineRoute({
  operationId: "adminDeleteDiscountCode",
  tag: "Admin: discount codes",
  access: "admin",
  method: "delete",
  path: "/api/admin/discount-codes/{id}",
  summary: "Delete a discount code (softly: orders that used it keep its text)",
  request: { params: DiscountCodeIdParams },
  responses: {
    204: { description: "Deleted" },
    404: problemContent("No such code (or already deleted)"),
  },
});

export type ListDiscountCodesRoute = typeof listDiscountCodes;
export type GetDiscountCodeRoute = typeof getDiscountCode;
export type CreateDiscountCodeRoute = typeof createDiscountCode;
export type UpdateDiscountCodeRoute = typeof updateDiscountCode;
export type DeleteDiscountCodeRoute = typeof deleteDiscountCode;
