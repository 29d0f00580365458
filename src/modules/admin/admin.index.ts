import { createRouter } from "../../platform/http/openapi";
import * as userHandlers from "../accounts/admin-users.handlers";
import * as userRoutes from "../accounts/admin-users.routes";
import * as auditHandlers from "./audit-events.handlers";
import * as auditRoutes from "./audit-events.routes";

/** Every route here is behind `requireAuth` + `requireAdmin`, mounted on all of /api/admin/* in the app factory. */
export const adminRouter = createRouter()
  .openapi(userRoutes.listUsers, userHandlers.listUsers)
  .openapi(userRoutes.getUser, userHandlers.getUser)
  .openapi(userRoutes.updateUser, userHandlers.updateUser)
  .openapi(auditRoutes.listAuditEvents, auditHandlers.listAuditEvents);
