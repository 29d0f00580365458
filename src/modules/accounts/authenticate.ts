import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../../platform/http/types";
import { invalidRequest, invalidToken, missingCredentials } from "./challenges";
import { loadSessionUser } from "./sessions";
import { InvalidTokenError, verifyAccessToken } from "./tokens";

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export interface RequireAuthOptions {
  /**
   * How to treat a token issued to an admin whose role was since taken away:
   * on admin routes it answers 403 (the token is genuine, the permission is
   * gone); elsewhere any role change stops the token with 401.
   */
  demotedAdmin?: "forbid" | "reject";
}

/**
 * Authenticates the request from the Authorization header only (never the
 * query string), then loads the user and session in one query, so logout,
 * revocation, deactivation, deletion and role changes take effect at once.
 */
export function requireAuth({ demotedAdmin = "reject" }: RequireAuthOptions = {}) {
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

    const found = await loadSessionUser(c.var.db, claims.sid, claims.sub);
    const now = new Date().toISOString();
    const usable =
      found &&
      !found.session.revokedAt &&
      found.session.expiresAt > now &&
      found.user.isActive &&
      !found.user.deletedAt;
    if (!usable) {
      c.var.logger.info("access_token_rejected", { reason: "session or account no longer active", sid: claims.sid });
      throw invalidToken();
    }
    if (found.user.role !== claims.role) {
      const wasDemotedAdmin = claims.role === "admin" && found.user.role !== "admin";
      if (!(wasDemotedAdmin && demotedAdmin === "forbid")) {
        c.var.logger.info("access_token_rejected", { reason: "role changed", sid: claims.sid });
        throw invalidToken();
      }
    }
    c.set("auth", { user: found.user, session: found.session, claims });
    await next();
  });
}
