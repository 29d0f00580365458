import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../../platform/http/types";
import { invalidRequest, invalidToken, missingCredentials } from "./challenges";
import { type DemotedAdminPolicy, SessionGate } from "./session-gate";
import { InvalidTokenError, verifyAccessToken } from "./tokens";

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface RequireAuthOptions {
  /**
   * How to treat a token issued to an admin whose role was since taken away:
   * on admin routes it answers 403 (the token is genuine, the permission is
   * gone); elsewhere any role change stops the token with 401.
   */
  demotedAdmin?: DemotedAdminPolicy;
  /**
   * `before_handler` (default): the session is checked, and `c.var.auth` set, before the handler runs.
   * `with_first_read`: the handler calls `c.var.session.check(...its first queries)`, which checks the session
   * in that same round trip; a handler that answers without checking is a defect, answered with 500.
   */
  checkSession?: "before_handler" | "with_first_read";
}

/**
 * Authenticates the request from the Authorization header only (never the
 * query string), then checks the user and session in the database, so logout,
 * revocation, deactivation, deletion and role changes take effect at once.
 */
export function requireAuth({ demotedAdmin = "reject", checkSession = "before_handler" }: RequireAuthOptions = {}) {
  return createMiddleware<AppBindings>(async (c, next) => {
    const header = c.req.header("Authorization");
    if (!header || !/^bearer\b/i.test(header.trim())) throw missingCredentials();
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) throw invalidRequest();

    let claims: Awaited<ReturnType<typeof verifyAccessToken>>;
    try {
      claims = await verifyAccessToken(match[1], c.var.config.jwt);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      c.var.logger.info("access_token_rejected", { reason: error.message });
      throw invalidToken();
    }

    const gate = new SessionGate(c.var.db, claims, { demotedAdmin, logger: c.var.logger, now: () => new Date() });
    c.set("session", gate);
    if (checkSession === "before_handler") {
      const [auth] = await gate.check();
      c.set("auth", auth);
      return next();
    }
    c.set("firstRoundTrip", gate.riders);
    await next();
    if (!gate.checked && c.res.status < 400) {
      throw new Error(`${c.req.method} ${c.req.path} answered without checking the session`);
    }
  });
}
