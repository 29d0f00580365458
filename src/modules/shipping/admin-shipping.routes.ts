import { createRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import {
  CreateShippingMethodSchema,
  CreateShippingZoneSchema,
  ShippingIdParams,
  ShippingMethodSchema,
  ShippingZoneSchema,
  UpdateShippingMethodSchema,
  UpdateShippingZoneSchema,
} from "./schemas";

const tags = ["Admin: shipping"];
const security = [{ bearerAuth: [] }];
const guarded = { 401: problemContent("Not signed in"), 403: problemContent("Not an admin") };
const zoneConflicts = problemContent(
  "`country_in_other_zone` (with `country`, `zone_id`, `zone_name`), or `fallback_zone_exists`",
);

export const listZones = createRoute({
  method: "get",
  path: "/api/admin/shipping-zones",
  tags,
  security,
  summary: "Every shipping zone with its countries and methods, the fallback zone last",
  responses: { 200: jsonContent(z.object({ data: z.array(ShippingZoneSchema) }), "The zones"), ...guarded },
});

export const getZone = createRoute({
  method: "get",
  path: "/api/admin/shipping-zones/{id}",
  tags,
  security,
  summary: "One shipping zone with its countries and methods",
  request: { params: ShippingIdParams },
  responses: { 200: jsonContent(ShippingZoneSchema, "The zone"), ...guarded, 404: problemContent("No such zone") },
});

export const createZone = createRoute({
  method: "post",
  path: "/api/admin/shipping-zones",
  tags,
  security,
  summary: "Create a shipping zone",
  description:
    "A country is in one zone at most; one zone at most is the fallback, serving every country no zone names.",
  request: { body: jsonBody(CreateShippingZoneSchema) },
  responses: {
    201: jsonContent(ShippingZoneSchema, "Created (Location: /api/admin/shipping-zones/{id})"),
    ...guarded,
    409: zoneConflicts,
    422: problemContent("Invalid input (an unknown or repeated country)"),
  },
});

export const updateZone = createRoute({
  method: "patch",
  path: "/api/admin/shipping-zones/{id}",
  tags,
  security,
  summary: "Rename a zone, make it the fallback or not, or replace its countries",
  request: { params: ShippingIdParams, body: jsonBody(UpdateShippingZoneSchema) },
  responses: {
    200: jsonContent(ShippingZoneSchema, "The updated zone"),
    ...guarded,
    404: problemContent("No such zone"),
    409: zoneConflicts,
    422: problemContent("Invalid input"),
  },
});

export const deleteZone = createRoute({
  method: "delete",
  path: "/api/admin/shipping-zones/{id}",
  tags,
  security,
  summary: "Delete a zone without methods (its countries then fall to the fallback zone)",
  request: { params: ShippingIdParams },
  responses: {
    204: { description: "Deleted" },
    ...guarded,
    404: problemContent("No such zone"),
    409: problemContent("`zone_has_methods`: delete them first"),
  },
});

export const createMethod = createRoute({
  method: "post",
  path: "/api/admin/shipping-zones/{id}/methods",
  tags,
  security,
  summary: "Add a shipping method to a zone",
  description:
    "`flat` takes `amount`; `subtotal_tiers` (by subtotal after discount) and `weight_tiers` (by grams) take `tiers`: 1 to 20, the first from 0, each `min` above the one before. Amounts are in the smallest currency unit.",
  request: { params: ShippingIdParams, body: jsonBody(CreateShippingMethodSchema) },
  responses: {
    201: jsonContent(ShippingMethodSchema, "Created"),
    ...guarded,
    404: problemContent("No such zone"),
    422: problemContent("Invalid input"),
  },
});

export const updateMethod = createRoute({
  method: "patch",
  path: "/api/admin/shipping-methods/{id}",
  tags,
  security,
  summary: "Change a shipping method",
  description: "A new `rate_kind` comes with what it needs: `amount` for `flat`, `tiers` for the others.",
  request: { params: ShippingIdParams, body: jsonBody(UpdateShippingMethodSchema) },
  responses: {
    200: jsonContent(ShippingMethodSchema, "The updated method"),
    ...guarded,
    404: problemContent("No such method"),
    422: problemContent("Invalid input"),
  },
});

export const deleteMethod = createRoute({
  method: "delete",
  path: "/api/admin/shipping-methods/{id}",
  tags,
  security,
  summary: "Delete a shipping method (orders keep its id and name)",
  request: { params: ShippingIdParams },
  responses: { 204: { description: "Deleted" }, ...guarded, 404: problemContent("No such method") },
});

export type ListZonesRoute = typeof listZones;
export type GetZoneRoute = typeof getZone;
export type CreateZoneRoute = typeof createZone;
export type UpdateZoneRoute = typeof updateZone;
export type DeleteZoneRoute = typeof deleteZone;
export type CreateMethodRoute = typeof createMethod;
export type UpdateMethodRoute = typeof updateMethod;
export type DeleteMethodRoute = typeof deleteMethod;
