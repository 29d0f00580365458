import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./dev-payments.handlers";
import * as routes from "./dev-payments.routes";

/** Behind `mockPaymentsOnly` and `requireAuth` on /api/dev/* in the app factory. */
export const devPaymentsRouter = createRouter().openapi(routes.drivePayment, handlers.drivePayment);
