import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./audit-events.handlers";
import * as routes from "./audit-events.routes";

/** Behind `requireAuth` + `requireAdmin`, like all of /api/admin/* in the app factory. */
export const auditEventsRouter = createRouter().openapi(routes.listAuditEvents, handlers.listAuditEvents);
