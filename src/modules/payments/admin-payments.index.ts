import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-payments.handlers";
import * as routes from "./admin-payments.routes";

/** Behind the admin guard on /api/admin/* in the app factory. */
export const adminPaymentsRouter = createRouter()
  .openapi(routes.refundOrder, handlers.refundOrder)
  .openapi(routes.listEvents, handlers.listEvents)
  .openapi(routes.replayEvent, handlers.replayEvent);
