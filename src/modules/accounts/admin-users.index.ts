import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-users.handlers";
import * as routes from "./admin-users.routes";

/** Behind `requireAuth` + `requireAdmin`, like all of /api/admin/* in the app factory. */
export const adminUsersRouter = createRouter()
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.getUser, handlers.getUser)
  .openapi(routes.updateUser, handlers.updateUser);
