import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-tax-rates.handlers";
import * as routes from "./admin-tax-rates.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminTaxRatesRouter = createRouter()
  .openapi(routes.listTaxRates, handlers.listTaxRates)
  .openapi(routes.createTaxRate, handlers.createTaxRate)
  .openapi(routes.updateTaxRate, handlers.updateTaxRate)
  .openapi(routes.deleteTaxRate, handlers.deleteTaxRate);
