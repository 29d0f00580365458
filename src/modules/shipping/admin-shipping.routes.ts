import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import {
  CreateShippingMethodSchema,
  CreateShippingZoneSchema,
  ShippingIdParams,
  ShippingMethodSchema,
  ShippingZoneSchema,
  UpdateShippingMethodSchema,
  UpdateShippingZoneSchema,
} from "./schemas";

const zoneConflicts = problemContent(
  "`country_in_other_zone` (with `country`, `zone_id`, `zone_name`), or `fallback_zone_exists`",
);

export const listZones = defineRoute({
  operationId: "adminListShippingZones",
  tag: "Admin: shipping",
  access: "admin",
  method: "get",
  path: "/api/admin/shipping-zones",
  summary: "Every shipping zone with its countries and methods, the fallback zone last",
  responses: { 200: jsonContent(z.object({ data: z.array(ShippingZoneSchema) }), "The zones") },
});

export const getZone = defineRoute({
  operationId: "adminGetShippingZone",
  tag: "Admin: shipping",
  access: "admin",
  method: "get",
  path: "/api/admin/shipping-zones/{id}",
  summary: "One shipping zone with its countries and methods",
  request: { params: ShippingIdParams },
  responses: { 200: jsonContent(ShippingZoneSchema, "The zone"), 404: problemContent("No such zone") },
});

export const createZone = defineRoute({
  operationId: "adminCreateShippingZone",
  location: "/api/admin/shipping-zones/{id}",
  tag: "Admin: shipping",
  access: "admin",
  method: "post",
  path: "/api/admin/shipping-zones",
  summary: "Create a shipping zone",
  description:
    "A country is in one zone at most; one zone at most is the fallback, serving every country no zone names.",
  request: { body: jsonBody(CreateShippingZoneSchema) },
  responses: {
    201: jsonContent(ShippingZoneSchema, "Created (Location: /api/admin/shipping-zones/{id})"),
    409: zoneConflicts,
    422: problemContent("Invalid input (an unknown or repeated country)"),
  },
});

export const updateZone = defineRoute({
  operationId: "adminUpdateShippingZone",
  tag: "Admin: shipping",
  access: "admin",
  method: "patch",
  path: "/api/admin/shipping-zones/{id}",
  summary: "Rename a zone, make it the fallback or not, or replace its countries",
  request: { params: ShippingIdParams, body: jsonBody(UpdateShippingZoneSchema) },
  responses: {
    200: jsonContent(ShippingZoneSchema, "The updated zone"),
    404: problemContent("No such zone"),
    409: zoneConflicts,
    422: problemContent("Invalid input"),
  },
});

export const deleteZone = defineRoute({
  operationId: "adminDeleteShippingZone",
  tag: "Admin: shipping",
  access: "admin",
  method: "delete",
  path: "/api/admin/shipping-zones/{id}",
  summary: "Delete a zone without methods (its countries then fall to the fallback zone)",
  request: { params: ShippingIdParams },
  responses: {
    204: { description: "Deleted" },
    404: problemContent("No such zone"),
    409: problemContent("`zone_has_methods`: delete them first"),
  },
});

export const createMethod = defineRoute({
  operationId: "adminCreateShippingMethod",
  tag: "Admin: shipping",
  access: "admin",
  method: "post",
  path: "/api/admin/shipping-zones/{id}/methods",
  summary: "Add a shipping method to a zone",
  description:
    "`flat` takes `amount`; `subtotal_tiers` (by subtotal after discount) and `weight_tiers` (by grams) take `tiers`: 1 to 20, the first from 0, each `min` above the one before. Amounts are in the smallest currency unit.",
  request: { params: ShippingIdParams, body: jsonBody(CreateShippingMethodSchema) },
  responses: {
    201: jsonContent(ShippingMethodSchema, "Created"),
    404: problemContent("No such zone"),
    422: problemContent("Invalid input"),
  },
});

export const updateMethod = defineRoute({
  operationId: "adminUpdateShippingMethod",
  tag: "Admin: shipping",
  access: "admin",
  method: "patch",
  path: "/api/admin/shipping-methods/{id}",
  summary: "Change a shipping method",
  description: "A new `rate_kind` comes with what it needs: `amount` for `flat`, `tiers` for the others.",
  request: { params: ShippingIdParams, body: jsonBody(UpdateShippingMethodSchema) },
  responses: {
    200: jsonContent(ShippingMethodSchema, "The updated method"),
    404: problemContent("No such method"),
    422: problemContent("Invalid input"),
  },
});

export const deleteMethod = defineRoute({
  operationId: "adminDeleteShippingMethod",
  tag: "Admin: shipping",
  access: "admin",
  method: "delete",
  path: "/api/admin/shipping-methods/{id}",
  summary: "Delete a shipping method (orders keep its id and name)",
  request: { params: ShippingIdParams },
  responses: { 204: { description: "Deleted" }, 404: problemContent("No such method") },
});

export type ListZonesRoute = typeof listZones;
export type GetZoneRoute = typeof getZone;
export type CreateZoneRoute = typeof createZone;
export type UpdateZoneRoute = typeof updateZone;
export type DeleteZoneRoute = typeof deleteZone;
export type CreateMethodRoute = typeof createMethod;
export type UpdateMethodRoute = typeof updateMethod;
export type DeleteMethodRoute = typeof deleteMethod;
