import { createMiddleware } from "hono/factory";
import { insufficientScope } from "../auth/challenges";
import type { AppBindings } from "../lib/types";

/** Mounted once on all of /api/admin/*, after `requireAuth`: any route added there is admin-only by default. */
export function requireAdmin() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const { user } = c.var.auth;
    if (user.role !== "admin") {
      await c.var.audit.record({
        action: "admin.access_denied",
        actorId: user.id,
        details: { method: c.req.method, path: new URL(c.req.url).pathname },
      });
      c.var.logger.warn("admin_access_denied", { user_id: user.id });
      throw insufficientScope();
    }
    await next();
  });
}
