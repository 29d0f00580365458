import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./dev-payments.handlers";
import * as routes from "./dev-payments.routes";

/**
 * Mounted under /api/dev/*, which the app factory guards with `developmentOnly` (development with the mock
 * provider, else 404) and then `cartAccess` (an account's bearer token, or a guest's cart token).
 */
export const devPaymentsRouter = createRouter().openapi(routes.drivePayment, handlers.drivePayment);
