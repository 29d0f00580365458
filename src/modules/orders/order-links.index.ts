import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./order-links.handlers";
import * as routes from "./order-links.routes";

/** Public: the signed token is the credential. Mounted outside /api/orders/*, whose routes need an account (checkout a cart token). */
export const orderLinksRouter = createRouter().openapi(routes.getOrderByLink, handlers.getOrderByLink);
