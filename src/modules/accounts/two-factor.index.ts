import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./two-factor.handlers";
import * as routes from "./two-factor.routes";

/** Behind `requireAuth` (mounted on /api/users/*). Admins enrol here, outside the admin guard. */
export const twoFactorRouter = createRouter()
  .openapi(routes.setup, handlers.setup)
  .openapi(routes.enable, handlers.enable)
  .openapi(routes.disable, handlers.disable)
  .openapi(routes.regenerateRecoveryCodes, handlers.regenerateRecoveryCodes);
