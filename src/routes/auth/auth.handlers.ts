import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { normalizeUsername, USERNAME_PATTERN, usernameKey } from "../../auth/identity";
import { clearFailures, recordFailure, retryAfterSeconds, throttleKeys } from "../../auth/login-throttle";
import { dummyHash, hashPassword, verifyPassword } from "../../auth/password";
import {
  openSession,
  revokeSessionStatement,
  revokeUserSessionsStatement,
  rotateRefreshToken,
} from "../../auth/sessions";
import { signAccessToken } from "../../auth/tokens";
import { isUniqueViolation } from "../../db/errors";
import { type UserRow, users } from "../../db/schema";
import { newId } from "../../lib/ids";
import { ApiError } from "../../lib/problem";
import type { AppBindings, AppRouteHandler } from "../../lib/types";
import { toPublicUser } from "../../schemas/users";
import type { LoginRoute, LogoutAllRoute, LogoutRoute, RefreshRoute, RegisterRoute } from "./auth.routes";

const invalidCredentials = () =>
  new ApiError(401, "invalid_credentials", "The username or password is incorrect.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });

const invalidRefreshToken = () =>
  new ApiError(401, "invalid_grant", "The refresh token is invalid, expired or revoked.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });

export const register: AppRouteHandler<RegisterRoute> = async (c) => {
  const body = c.req.valid("json");
  const { db, audit, config } = c.var;
  const now = new Date().toISOString();
  const user: UserRow = {
    id: newId("usr"),
    email: body.email,
    username: body.username,
    usernameKey: usernameKey(body.username),
    fullName: body.full_name ?? null,
    passwordHash: await hashPassword(body.password, config.argon2),
    role: "user",
    isActive: true,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  try {
    await db.batch([
      db.insert(users).values(user),
      audit.insert({ action: "user.registered", actorId: user.id, targetType: "user", targetId: user.id }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      // One detail for email and username alike.
      throw new ApiError(409, "account_conflict", "An account with these details cannot be created.");
    }
    throw error;
  }
  c.header("Location", "/api/users/me");
  return c.json(toPublicUser(user), 201);
};

/**
 * What the audit keeps of a failed sign-in's identifier: an email (masked on
 * write) or a well-formed username. Anything else is not stored, since people
 * sometimes type their password into the username field.
 */
function auditableIdentifier(identifier: string): string | null {
  const trimmed = identifier.trim();
  if (/^[^@\s]+@[^@\s]+$/.test(trimmed)) return trimmed.toLowerCase();
  return USERNAME_PATTERN.test(normalizeUsername(trimmed)) ? normalizeUsername(trimmed) : null;
}

function loginInput(c: Context<AppBindings>, valid: { json: unknown; form: unknown }) {
  const contentType = c.req.header("Content-Type") ?? "";
  const input = (/json/i.test(contentType) ? valid.json : valid.form) as Partial<{
    username: string;
    password: string;
  }>;
  if (typeof input.username !== "string" || typeof input.password !== "string") {
    throw new ApiError(422, "validation_error", "The request is not valid.", {
      errors: [{ path: "body", message: "A form or JSON body with username and password is required" }],
    });
  }
  return { username: input.username, password: input.password };
}

async function issueTokens(
  c: Context<AppBindings>,
  subject: { userId: string; sessionId: string; role: UserRow["role"] },
  refreshToken: string,
) {
  const access = await signAccessToken(subject, c.var.config.jwt);
  c.header("Pragma", "no-cache");
  return {
    access_token: access.token,
    token_type: "bearer" as const,
    expires_in: access.expiresIn,
    refresh_token: refreshToken,
  };
}

export const login: AppRouteHandler<LoginRoute> = async (c) => {
  const { username: identifier, password } = loginInput(c, { json: c.req.valid("json"), form: c.req.valid("form") });
  const { db, audit, config, logger } = c.var;

  const keys = await throttleKeys(identifier, c.var.clientIp);
  const wait = await retryAfterSeconds(db, keys);
  if (wait > 0) {
    logger.warn("login_backoff", { network: c.var.clientNetwork });
    throw new ApiError(429, "login_backoff", "Too many failed sign-in attempts. Try again later.", {
      headers: { "Retry-After": String(wait) },
    });
  }

  const lookup = identifier.includes("@")
    ? eq(users.email, identifier.trim().toLowerCase())
    : eq(users.usernameKey, usernameKey(identifier));
  const [user] = await db
    .select()
    .from(users)
    .where(and(lookup, isNull(users.deletedAt)))
    .limit(1);
  // Always run one verification, against a dummy hash when there is no such user: same work, same time.
  const check = await verifyPassword(password, user?.passwordHash ?? (await dummyHash(config.argon2)), config.argon2);

  if (!user || !check.valid || !user.isActive) {
    const reason = !user ? "unknown_user" : !check.valid ? "wrong_password" : "inactive_account";
    await recordFailure(db, keys);
    await audit.record({
      action: "auth.login_failed",
      targetType: user ? "user" : undefined,
      targetId: user?.id,
      details: { reason, identifier: auditableIdentifier(identifier) },
    });
    logger.info("login_failed", { reason, user_id: user?.id });
    throw invalidCredentials();
  }

  const opened = await openSession(db, {
    userId: user.id,
    userAgent: c.req.header("User-Agent") ?? null,
    network: c.var.clientNetwork,
    ttlDays: config.refreshTokenTtlDays,
  });
  const rehash = check.needsRehash
    ? [
        db
          .update(users)
          .set({ passwordHash: await hashPassword(password, config.argon2) })
          .where(eq(users.id, user.id)),
      ]
    : [];
  await db.batch([
    ...opened.statements,
    ...rehash,
    audit.insert({
      action: "auth.login_succeeded",
      actorId: user.id,
      targetType: "session",
      targetId: opened.session.id,
    }),
  ]);
  await clearFailures(db, keys);
  logger.info("login_succeeded", {
    user_id: user.id,
    session_id: opened.session.id,
    params_upgraded: check.needsRehash,
  });
  return c.json(
    await issueTokens(c, { userId: user.id, sessionId: opened.session.id, role: user.role }, opened.refreshToken),
    200,
  );
};

export const refresh: AppRouteHandler<RefreshRoute> = async (c) => {
  const { refresh_token } = c.req.valid("json");
  const { db, audit, config, logger } = c.var;
  const result = await rotateRefreshToken(db, refresh_token, config.refreshTokenTtlDays);
  if (result.kind === "reused") {
    await db.batch([
      revokeSessionStatement(db, result.session.id, "refresh_token_reuse"),
      audit.insert({
        action: "auth.refresh_reuse_detected",
        actorId: result.user.id,
        targetType: "session",
        targetId: result.session.id,
      }),
    ]);
    logger.warn("refresh_token_reuse", { user_id: result.user.id, session_id: result.session.id });
    throw invalidRefreshToken();
  }
  if (result.kind === "invalid") throw invalidRefreshToken();
  return c.json(
    await issueTokens(
      c,
      { userId: result.user.id, sessionId: result.session.id, role: result.user.role },
      result.refreshToken,
    ),
    200,
  );
};

export const logout: AppRouteHandler<LogoutRoute> = async (c) => {
  const { db, audit, auth } = c.var;
  await db.batch([
    revokeSessionStatement(db, auth.session.id, "logout"),
    audit.insert({ action: "auth.logout", actorId: auth.user.id, targetType: "session", targetId: auth.session.id }),
  ]);
  return c.body(null, 204);
};

export const logoutAll: AppRouteHandler<LogoutAllRoute> = async (c) => {
  const { db, audit, auth } = c.var;
  await db.batch([
    revokeUserSessionsStatement(db, auth.user.id, "logout_all"),
    audit.insert({ action: "auth.logout_all", actorId: auth.user.id, targetType: "user", targetId: auth.user.id }),
  ]);
  return c.body(null, 204);
};
