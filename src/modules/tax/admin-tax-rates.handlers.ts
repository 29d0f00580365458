import type { AppRouteHandler } from "../../platform/http/types";
import { adminWrite } from "../accounts";
import * as rates from "./admin-tax-rates";
import type {
  CreateTaxRateRoute,
  DeleteTaxRateRoute,
  ListTaxRatesRoute,
  UpdateTaxRateRoute,
} from "./admin-tax-rates.routes";

export const listTaxRates: AppRouteHandler<ListTaxRatesRoute> = async (c) => {
  return c.json({ data: await rates.listTaxRates(c.var.db, c.req.valid("query").country) }, 200);
};

export const createTaxRate: AppRouteHandler<CreateTaxRateRoute> = async (c) => {
  return c.json(await rates.createTaxRate(adminWrite(c.var), c.req.valid("json")), 201);
};

export const updateTaxRate: AppRouteHandler<UpdateTaxRateRoute> = async (c) => {
  return c.json(await rates.updateTaxRate(adminWrite(c.var), c.req.valid("param").id, c.req.valid("json")), 200);
};

export const deleteTaxRate: AppRouteHandler<DeleteTaxRateRoute> = async (c) => {
  await rates.deleteTaxRate(adminWrite(c.var), c.req.valid("param").id);
  return c.body(null, 204);
};
