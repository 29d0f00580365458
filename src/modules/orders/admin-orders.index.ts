import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-orders.handlers";
import * as routes from "./admin-orders.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminOrdersRouter = createRouter()
  .openapi(routes.listOrders, handlers.listOrders)
  .openapi(routes.getOrder, handlers.getOrder)
  .openapi(routes.transition, handlers.transition);
