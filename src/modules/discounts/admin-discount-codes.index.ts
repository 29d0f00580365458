import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-discount-codes.handlers";
import * as routes from "./admin-discount-codes.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminDiscountCodesRouter = createRouter()
  .openapi(routes.listDiscountCodes, handlers.listDiscountCodes)
  .openapi(routes.getDiscountCode, handlers.getDiscountCode)
  .openapi(routes.createDiscountCode, handlers.createDiscountCode)
  .openapi(routes.updateDiscountCode, handlers.updateDiscountCode)
  .openapi(routes.deleteDiscountCode, handlers.deleteDiscountCode);
