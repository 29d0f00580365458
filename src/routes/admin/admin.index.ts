import { createRouter } from "../../lib/openapi";
import * as userHandlers from "./admin-users.handlers";
import * as userRoutes from "./admin-users.routes";
import * as auditHandlers from "./audit-events.handlers";
import * as auditRoutes from "./audit-events.routes";

/** Every route here is behind `requireAuth` + `requireAdmin`, mounted on all of /api/admin/* in the app factory. */
export const adminRouter = createRouter()
  .openapi(userRoutes.listUsers, userHandlers.listUsers)
  .openapi(userRoutes.getUser, userHandlers.getUser)
  .openapi(userRoutes.updateUser, userHandlers.updateUser)
  .openapi(auditRoutes.listAuditEvents, auditHandlers.listAuditEvents);
