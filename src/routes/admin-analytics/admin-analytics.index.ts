import { createRouter } from "../../lib/openapi";
import * as handlers from "./admin-analytics.handlers";
import * as routes from "./admin-analytics.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminAnalyticsRouter = createRouter()
  .openapi(routes.sales, handlers.sales)
  .openapi(routes.topProducts, handlers.topProducts);
