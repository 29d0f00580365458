import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./users.handlers";
import * as routes from "./users.routes";

/** Every route here is behind `requireAuth`, mounted on /api/users/* in the app factory. */
export const usersRouter = createRouter()
  .openapi(routes.getMe, handlers.getMe)
  .openapi(routes.updateMe, handlers.updateMe)
  .openapi(routes.changePassword, handlers.changePassword)
  .openapi(routes.deleteMe, handlers.deleteMe)
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.revokeSession, handlers.revokeSession);
