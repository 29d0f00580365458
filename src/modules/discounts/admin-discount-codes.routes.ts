import { createRoute, jsonBody, jsonContent, problemContent } from "../../platform/http/openapi";
import { pageSchema } from "../../platform/http/pagination";
import {
  AdminDiscountCodeSchema,
  CreateDiscountCodeSchema,
  DiscountCodeIdParams,
  ListDiscountCodesQuerySchema,
  UpdateDiscountCodeSchema,
} from "./schemas";

const tags = ["Admin: discount codes"];
const security = [{ bearerAuth: [] }];
const guarded = { 401: problemContent("Not signed in"), 403: problemContent("Not an admin") };

export const listDiscountCodes = createRoute({
  method: "get",
  path: "/api/admin/discount-codes",
  tags,
  security,
  summary: "Discount codes (deleted ones left out), newest first",
  request: { query: ListDiscountCodesQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AdminDiscountCodeSchema), "A page"),
    ...guarded,
    422: problemContent("Invalid query"),
  },
});

export const getDiscountCode = createRoute({
  method: "get",
  path: "/api/admin/discount-codes/{id}",
  tags,
  security,
  summary: "One discount code, with the number of orders using it",
  request: { params: DiscountCodeIdParams },
  responses: {
    200: jsonContent(AdminDiscountCodeSchema, "The code"),
    ...guarded,
    404: problemContent("No such code (or deleted)"),
  },
});

export const createDiscountCode = createRoute({
  method: "post",
  path: "/api/admin/discount-codes",
  tags,
  security,
  summary: "Create a discount code",
  description:
    "Codes are unique whatever their case, deleted ones included (orders name them). `value` depends on `kind`; `target_ids` are products or categories when `applies_to` says so; `starts_at` comes before `ends_at`.",
  request: { body: jsonBody(CreateDiscountCodeSchema) },
  responses: {
    201: jsonContent(AdminDiscountCodeSchema, "Created (Location: /api/admin/discount-codes/{id})"),
    ...guarded,
    409: problemContent("`code_taken`"),
    422: problemContent("Invalid input, or an unknown product or category (`body.target_ids.<index>`)"),
  },
});

export const updateDiscountCode = createRoute({
  method: "patch",
  path: "/api/admin/discount-codes/{id}",
  tags,
  security,
  summary: "Change a discount code",
  description:
    "The rules between fields hold for the code as changed. `code` changes only while no order has ever used it (`code_in_use`).",
  request: { params: DiscountCodeIdParams, body: jsonBody(UpdateDiscountCodeSchema) },
  responses: {
    200: jsonContent(AdminDiscountCodeSchema, "The updated code"),
    ...guarded,
    404: problemContent("No such code (or deleted)"),
    409: problemContent("`code_taken`, or `code_in_use`"),
    422: problemContent("Invalid input, or an unknown product or category"),
  },
});

export const deleteDiscountCode = createRoute({
  method: "delete",
  path: "/api/admin/discount-codes/{id}",
  tags,
  security,
  summary: "Delete a discount code (softly: orders that used it keep its text)",
  request: { params: DiscountCodeIdParams },
  responses: {
    204: { description: "Deleted" },
    ...guarded,
    404: problemContent("No such code (or already deleted)"),
  },
});

export type ListDiscountCodesRoute = typeof listDiscountCodes;
export type GetDiscountCodeRoute = typeof getDiscountCode;
export type CreateDiscountCodeRoute = typeof createDiscountCode;
export type UpdateDiscountCodeRoute = typeof updateDiscountCode;
export type DeleteDiscountCodeRoute = typeof deleteDiscountCode;
