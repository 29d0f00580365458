import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./analytics.handlers";
import * as routes from "./analytics.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminAnalyticsRouter = createRouter()
  .openapi(routes.sales, handlers.sales)
  .openapi(routes.topProducts, handlers.topProducts);
