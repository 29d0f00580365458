import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-shipping.handlers";
import * as routes from "./admin-shipping.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminShippingRouter = createRouter()
  .openapi(routes.listZones, handlers.listZones)
  .openapi(routes.getZone, handlers.getZone)
  .openapi(routes.createZone, handlers.createZone)
  .openapi(routes.updateZone, handlers.updateZone)
  .openapi(routes.deleteZone, handlers.deleteZone)
  .openapi(routes.createMethod, handlers.createMethod)
  .openapi(routes.updateMethod, handlers.updateMethod)
  .openapi(routes.deleteMethod, handlers.deleteMethod);
