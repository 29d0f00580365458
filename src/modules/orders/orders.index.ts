import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./orders.handlers";
import * as routes from "./orders.routes";

/** Behind `requireAuth`, mounted on /api/orders and /api/orders/* in the app factory. */
export const ordersRouter = createRouter()
  .openapi(routes.checkout, handlers.checkout)
  .openapi(routes.listOrders, handlers.listOrders)
  .openapi(routes.getOrder, handlers.getOrder)
  .openapi(routes.cancelOrder, handlers.cancelOrder)
  .openapi(routes.getPayment, handlers.getPayment);
