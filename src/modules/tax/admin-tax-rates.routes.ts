import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import {
  CreateTaxRateSchema,
  ListTaxRatesQuerySchema,
  TaxRateIdParams,
  TaxRateSchema,
  UpdateTaxRateSchema,
} from "./schemas";

export const listTaxRates = defineRoute({
  operationId: "adminListTaxRates",
  tag: "Admin: tax rates",
  access: "admin",
  method: "get",
  path: "/api/admin/tax-rates",
  summary: "Every tax rate, by country, the whole country's before its regions'",
  request: { query: ListTaxRatesQuerySchema },
  responses: {
    200: jsonContent(z.object({ data: z.array(TaxRateSchema) }), "The rates"),
    422: problemContent("Invalid query"),
  },
});

export const createTaxRate = defineRoute({
  operationId: "adminCreateTaxRate",
  tag: "Admin: tax rates",
  access: "admin",
  method: "post",
  path: "/api/admin/tax-rates",
  summary: "Create a tax rate for a country, or a region of it",
  description: "One rate per country and region; a region's rate replaces its country's for addresses there.",
  request: { body: jsonBody(CreateTaxRateSchema) },
  responses: {
    201: jsonContent(TaxRateSchema, "Created"),
    409: problemContent("`tax_rate_exists`"),
    422: problemContent("Invalid input"),
  },
});

export const updateTaxRate = defineRoute({
  operationId: "adminUpdateTaxRate",
  tag: "Admin: tax rates",
  access: "admin",
  method: "patch",
  path: "/api/admin/tax-rates/{id}",
  summary: "Change a tax rate",
  request: { params: TaxRateIdParams, body: jsonBody(UpdateTaxRateSchema) },
  responses: {
    200: jsonContent(TaxRateSchema, "The updated rate"),
    404: problemContent("No such rate"),
    409: problemContent("`tax_rate_exists`"),
    422: problemContent("Invalid input"),
  },
});

export const deleteTaxRate = defineRoute({
  operationId: "adminDeleteTaxRate",
  tag: "Admin: tax rates",
  access: "admin",
  method: "delete",
  path: "/api/admin/tax-rates/{id}",
  summary: "Delete a tax rate (orders keep the tax lines they were charged)",
  request: { params: TaxRateIdParams },
  responses: { 204: { description: "Deleted" }, 404: problemContent("No such rate") },
});

export type ListTaxRatesRoute = typeof listTaxRates;
export type CreateTaxRateRoute = typeof createTaxRate;
export type UpdateTaxRateRoute = typeof updateTaxRate;
export type DeleteTaxRateRoute = typeof deleteTaxRate;
