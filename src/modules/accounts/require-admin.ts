import { createMiddleware } from "hono/factory";
import type { AuditedWrite } from "../../platform/audit/audit-log";
import { ApiError } from "../../platform/http/problem";
import type { AppBindings, AppVariables } from "../../platform/http/types";
import { insufficientScope } from "./challenges";

const SECOND_FACTORS = new Set(["otp", "mfa"]);

/**
 * Mounted once on all of /api/admin/*, after `requireAuth`: any route added
 * there is admin-only by default. With ADMIN_REQUIRE_2FA, an admin must also
 * have two-factor authentication on and have used it for this session;
 * enrolment lives under /api/users/me/2fa, outside this guard.
 */
export function requireAdmin() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const { user, claims } = c.var.auth;
    const path = new URL(c.req.url).pathname;
    if (user.role !== "admin") {
      await c.var.audit.record({
        action: "admin.access_denied",
        actorId: user.id,
        details: { method: c.req.method, path },
      });
      c.var.logger.warn("admin_access_denied", { user_id: user.id });
      throw insufficientScope();
    }
    const usedSecondFactor = claims.amr.some((method) => SECOND_FACTORS.has(method));
    if (c.var.config.adminRequire2fa && (!user.totpEnabledAt || !usedSecondFactor)) {
      await c.var.audit.record({
        action: "admin.access_denied",
        actorId: user.id,
        details: { method: c.req.method, path, reason: "admin_2fa_required" },
      });
      throw new ApiError(
        403,
        "admin_2fa_required",
        user.totpEnabledAt
          ? "Admin routes need a session signed in with a second factor: sign in again with your code."
          : "Admin routes need two-factor authentication: enable it at /api/users/me/2fa/setup, then sign in again.",
      );
    }
    await next();
  });
}

/** The signed-in admin's write on a route behind `requireAdmin`: the request's database and audit log, now. */
export function adminWrite(variables: AppVariables): AuditedWrite {
  const { db, audit, auth, clock } = variables;
  return { db, audit, actorId: auth.user.id, at: clock.now().toISOString() };
}
