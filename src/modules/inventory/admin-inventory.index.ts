import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-inventory.handlers";
import * as routes from "./admin-inventory.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminInventoryRouter = createRouter()
  .openapi(routes.getInventory, handlers.getInventory)
  .openapi(routes.changeInventory, handlers.changeInventory);
