import type { AppRouteHandler } from "../../platform/http/types";
import { adminWrite } from "../accounts";
import * as codes from "./admin-discount-codes";
import type {
  CreateDiscountCodeRoute,
  DeleteDiscountCodeRoute,
  GetDiscountCodeRoute,
  ListDiscountCodesRoute,
  UpdateDiscountCodeRoute,
} from "./admin-discount-codes.routes";

export const listDiscountCodes: AppRouteHandler<ListDiscountCodesRoute> = async (c) => {
  const { data, nextCursor } = await codes.listDiscountCodes(c.var.db, c.req.valid("query"));
  return c.json({ data, next_cursor: nextCursor }, 200);
};

export const getDiscountCode: AppRouteHandler<GetDiscountCodeRoute> = async (c) => {
  return c.json(await codes.findDiscountCode(c.var.db, c.req.valid("param").id), 200);
};

export const createDiscountCode: AppRouteHandler<CreateDiscountCodeRoute> = async (c) => {
  const code = await codes.createDiscountCode(adminWrite(c.var), c.req.valid("json"));
  c.header("Location", `/api/admin/discount-codes/${code.id}`);
  return c.json(code, 201);
};

export const updateDiscountCode: AppRouteHandler<UpdateDiscountCodeRoute> = async (c) => {
  const code = await codes.updateDiscountCode(adminWrite(c.var), c.req.valid("param").id, c.req.valid("json"));
  return c.json(code, 200);
};

export const deleteDiscountCode: AppRouteHandler<DeleteDiscountCodeRoute> = async (c) => {
  await codes.deleteDiscountCode(adminWrite(c.var), c.req.valid("param").id);
  return c.body(null, 204);
};
