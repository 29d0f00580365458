import type { AppRouteHandler } from "../../platform/http/types";
import { adminWrite } from "../accounts";
import * as shipping from "./admin-shipping";
import type {
  CreateMethodRoute,
  CreateZoneRoute,
  DeleteMethodRoute,
  DeleteZoneRoute,
  GetZoneRoute,
  ListZonesRoute,
  UpdateMethodRoute,
  UpdateZoneRoute,
} from "./admin-shipping.routes";

export const listZones: AppRouteHandler<ListZonesRoute> = async (c) => {
  return c.json({ data: await shipping.listZones(c.var.db) }, 200);
};

export const getZone: AppRouteHandler<GetZoneRoute> = async (c) => {
  return c.json(await shipping.findZone(c.var.db, c.req.valid("param").id), 200);
};

export const createZone: AppRouteHandler<CreateZoneRoute> = async (c) => {
  const zone = await shipping.createZone(adminWrite(c.var), c.req.valid("json"));
  c.header("Location", `/api/admin/shipping-zones/${zone.id}`);
  return c.json(zone, 201);
};

export const updateZone: AppRouteHandler<UpdateZoneRoute> = async (c) => {
  return c.json(await shipping.updateZone(adminWrite(c.var), c.req.valid("param").id, c.req.valid("json")), 200);
};

export const deleteZone: AppRouteHandler<DeleteZoneRoute> = async (c) => {
  await shipping.deleteZone(adminWrite(c.var), c.req.valid("param").id);
  return c.body(null, 204);
};

export const createMethod: AppRouteHandler<CreateMethodRoute> = async (c) => {
  const method = await shipping.createMethod(adminWrite(c.var), c.req.valid("param").id, c.req.valid("json"));
  return c.json(method, 201);
};

export const updateMethod: AppRouteHandler<UpdateMethodRoute> = async (c) => {
  return c.json(await shipping.updateMethod(adminWrite(c.var), c.req.valid("param").id, c.req.valid("json")), 200);
};

export const deleteMethod: AppRouteHandler<DeleteMethodRoute> = async (c) => {
  await shipping.deleteMethod(adminWrite(c.var), c.req.valid("param").id);
  return c.body(null, 204);
};
