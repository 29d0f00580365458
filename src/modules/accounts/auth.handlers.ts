import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import { isUniqueViolation } from "../../platform/db/errors";
import { inBackground } from "../../platform/http/background";
import { ApiError, invalidField } from "../../platform/http/problem";
import type { AppBindings, AppRouteHandler } from "../../platform/http/types";
import { newId } from "../../platform/ids";
import { passwordResetEmail } from "./account-emails";
import { consumeAccountToken, issueAccountToken, voidAccountTokensStatement } from "./account-tokens";
import type {
  ConfirmPasswordResetRoute,
  LoginRoute,
  LogoutAllRoute,
  LogoutRoute,
  RefreshRoute,
  RegisterRoute,
  RequestPasswordResetRoute,
  ResendVerificationRoute,
  VerifyEmailRoute,
} from "./auth.routes";
import { AttemptGuards, PASSWORD_RESET, SIGN_IN } from "./backoff";
import { reauthenticate, secondFactorOrProblem } from "./current-password";
import { issueDeviceToken, verifyDeviceToken } from "./device-tokens";
import { sendEmailVerification } from "./email-verification";
import {
  normalizeEmail,
  normalizeUsername,
  passwordMatchesIdentity,
  signInIdentifier,
  USERNAME_PATTERN,
  usernameKey,
} from "./identity";
import { dummyHash, hashPassword, verifyPassword } from "./password";
import { toPublicUser } from "./schemas";
import { openSession, revokeSessionStatement, revokeUserSessionsStatement, rotateRefreshToken } from "./sessions";
import { accountTokens } from "./tables/account-tokens";
import { type UserRow, users } from "./tables/users";
import { hashToken, signAccessToken } from "./tokens";
import { proveSecondFactor } from "./two-factor";

const MINUTE_MS = 60 * 1000;

const invalidCredentials = () =>
  new ApiError(401, "invalid_credentials", "The username or password is incorrect.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });

const invalidRefreshToken = () =>
  new ApiError(401, "invalid_grant", "The refresh token is invalid, expired or revoked.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });

const mfaRequired = () =>
  new ApiError(401, "mfa_required", "This account uses two-factor authentication: send `otp` or `recovery_code`.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });

const mfaInvalid = () =>
  new ApiError(401, "mfa_invalid", "The two-factor code is incorrect or was already used.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });

const backedOff = (code: "login_backoff" | "reset_backoff", seconds: number, detail: string) =>
  new ApiError(429, code, detail, { headers: { "Retry-After": String(seconds) } });

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
    emailVerifiedAt: null,
    totpSecret: null,
    totpPendingSecret: null,
    totpEnabledAt: null,
    totpLastStep: null,
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
  inBackground(c, "email_verification", () => sendEmailVerification(c.var, user));
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
  if (/^[^@\s]+@[^@\s]+$/.test(trimmed)) return normalizeEmail(trimmed);
  return USERNAME_PATTERN.test(normalizeUsername(trimmed)) ? normalizeUsername(trimmed) : null;
}

interface LoginInput {
  username: string;
  password: string;
  otp?: string;
  recovery_code?: string;
  device_token?: string;
}

function loginInput(c: Context<AppBindings>, valid: { json: unknown; form: unknown }): LoginInput {
  const contentType = c.req.header("Content-Type") ?? "";
  const input = (/json/i.test(contentType) ? valid.json : valid.form) as Partial<LoginInput>;
  if (typeof input.username !== "string" || typeof input.password !== "string") {
    throw invalidField("body", "A form or JSON body with username and password is required");
  }
  return {
    username: input.username,
    password: input.password,
    otp: input.otp,
    recovery_code: input.recovery_code,
    device_token: input.device_token,
  };
}

async function issueTokens(
  c: Context<AppBindings>,
  subject: { userId: string; sessionId: string; role: UserRow["role"]; amr: string[] },
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

/**
 * The second step for accounts with two-factor authentication: a TOTP code
 * (good once) or a recovery code (spent). Returns the methods to record in
 * the session and its tokens, or none when the code is wrong.
 */
async function secondFactorMethods(c: Context<AppBindings>, user: UserRow, input: LoginInput): Promise<string[]> {
  const { db, audit, config } = c.var;
  if (!user.totpEnabledAt) return ["pwd"];
  if (!input.otp && !input.recovery_code) throw mfaRequired();
  const proved = await proveSecondFactor(db, user, input, config.totpEncryptionKey);
  if (proved === "recovery_code") {
    await audit.record({ action: "auth.recovery_code_used", actorId: user.id, targetType: "user", targetId: user.id });
  }
  return proved === "otp" ? ["pwd", "otp"] : proved === "recovery_code" ? ["pwd", "mfa"] : [];
}

export const login: AppRouteHandler<LoginRoute> = async (c) => {
  const input = loginInput(c, { json: c.req.valid("json"), form: c.req.valid("form") });
  const { db, audit, config, logger, attempts, clock } = c.var;

  // One canonical form for the lookup and the backoff: every spelling of a name meets the same guard.
  const identifier = signInIdentifier(input.username);
  const lookup = identifier.kind === "email" ? eq(users.email, identifier.key) : eq(users.usernameKey, identifier.key);
  const [user] = await db
    .select()
    .from(users)
    .where(and(lookup, isNull(users.deletedAt)))
    .limit(1);
  // A device token counts only for the account and password it was issued with.
  const guardName = await AttemptGuards.nameOf(SIGN_IN, identifier.key);
  const device = user ? await verifyDeviceToken(input.device_token, { guardName, user }, config.jwt.secret) : undefined;
  const who = { client: c.var.clientKey, device };
  const admission = await attempts.admit(SIGN_IN, identifier.key, who, clock.now().getTime());
  if (!admission.admitted) {
    logger.warn("login_backoff", { network: c.var.clientNetwork, known_device: who.device !== undefined });
    throw backedOff("login_backoff", admission.retryAfterSeconds, "Too many failed sign-in attempts. Try again later.");
  }
  // Always run one verification, against a dummy hash when there is no such user: same work, same time.
  const check = await verifyPassword(
    input.password,
    user?.passwordHash ?? (await dummyHash(config.argon2)),
    config.argon2,
  );

  // The attempt is already counted; a failure only has to be recorded.
  const fail = async (reason: string, problem: ApiError): Promise<never> => {
    await audit.record({
      action: "auth.login_failed",
      targetType: user ? "user" : undefined,
      targetId: user?.id,
      details: { reason, identifier: auditableIdentifier(input.username) },
    });
    logger.info("login_failed", { reason, user_id: user?.id });
    throw problem;
  };
  if (!user) return fail("unknown_user", invalidCredentials());
  if (!check.valid) return fail("wrong_password", invalidCredentials());
  if (!user.isActive) return fail("inactive_account", invalidCredentials());

  const amr = await secondFactorMethods(c, user, input);
  if (amr.length === 0) return fail("wrong_second_factor", mfaInvalid());

  const opened = await openSession(db, {
    userId: user.id,
    userAgent: c.req.header("User-Agent") ?? null,
    network: c.var.clientNetwork,
    ttlDays: config.refreshTokenTtlDays,
    amr,
  });
  // A hash weaker than the configured cost is replaced now; device tokens are issued for the hash kept.
  const passwordHash = check.needsRehash ? await hashPassword(input.password, config.argon2) : user.passwordHash;
  const rehash = check.needsRehash ? [db.update(users).set({ passwordHash }).where(eq(users.id, user.id))] : [];
  const extension = await c.var.afterSignIn?.(c, user.id, clock.now());
  const joined = extension?.statements ?? [];
  const written = await db.batch([
    ...opened.statements,
    ...rehash,
    ...joined,
    audit.insert({
      action: "auth.login_succeeded",
      actorId: user.id,
      targetType: "session",
      targetId: opened.session.id,
      details: { amr, known_device: who.device !== undefined },
    }),
  ]);
  // The joined statements' results sit just before the audit entry's, which ends the batch.
  const extras = extension?.answer(written.slice(written.length - 1 - joined.length, written.length - 1)) ?? {};
  await attempts.succeeded(SIGN_IN, identifier.key, who);
  logger.info("login_succeeded", {
    user_id: user.id,
    session_id: opened.session.id,
    params_upgraded: check.needsRehash,
  });
  const tokens = await issueTokens(
    c,
    { userId: user.id, sessionId: opened.session.id, role: user.role, amr },
    opened.refreshToken,
  );
  const deviceToken = await issueDeviceToken({ guardName, user: { id: user.id, passwordHash } }, config.jwt.secret);
  return c.json({ ...tokens, device_token: deviceToken, ...extras }, 200);
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
      { userId: result.user.id, sessionId: result.session.id, role: result.user.role, amr: result.session.amr },
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

const RESET_ACCEPTED = {
  status: "accepted" as const,
  detail: "If an account exists for this address, a link to reset its password has been sent.",
};

export const requestPasswordReset: AppRouteHandler<RequestPasswordResetRoute> = async (c) => {
  const { email } = c.req.valid("json");
  const { db, config, attempts, clock } = c.var;
  // Counted and decided in one step, whether or not the account exists.
  const admission = await attempts.admit(PASSWORD_RESET, email, { client: c.var.clientKey }, clock.now().getTime());
  if (!admission.admitted) {
    throw backedOff(
      "reset_backoff",
      admission.retryAfterSeconds,
      "Too many reset requests for this address. Try again later.",
    );
  }

  // A database that cannot be reached is told (503), not hidden behind "accepted": one round trip that reads
  // nothing of any account, so its timing is the same whether the account exists or not.
  await db.run(sql`select 1`);
  // Everything that depends on whether the account exists happens after the answer.
  inBackground(c, "password_reset_email", async () => {
    const [user] = await db
      .select()
      .from(users)
      .where(and(eq(users.email, email), isNull(users.deletedAt), eq(users.isActive, true)))
      .limit(1);
    if (!user) return;
    const { token, statements } = await issueAccountToken(db, {
      userId: user.id,
      purpose: "password_reset",
      email: user.email,
      ttlMs: config.passwordResetTtlMinutes * MINUTE_MS,
    });
    await db.batch([
      ...statements,
      c.var.audit.insert({
        action: "auth.password_reset_requested",
        actorId: user.id,
        targetType: "user",
        targetId: user.id,
      }),
    ]);
    const link = `${config.publicAppUrl}/reset-password#token=${token}`;
    await c.var.mailer.send(passwordResetEmail(user.email, link, config.passwordResetTtlMinutes));
  });
  return c.json(RESET_ACCEPTED, 202);
};

const invalidResetToken = () =>
  new ApiError(400, "invalid_reset_token", "This password reset link is invalid or has expired.");

export const confirmPasswordReset: AppRouteHandler<ConfirmPasswordResetRoute> = async (c) => {
  const { token, new_password, otp, recovery_code } = c.req.valid("json");
  const { db, audit, config, attempts } = c.var;
  const now = new Date().toISOString();
  const [pending] = await db
    .select({ user: users })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(
      and(
        eq(accountTokens.tokenHash, await hashToken(token)),
        eq(accountTokens.purpose, "password_reset"),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .limit(1);
  if (!pending || pending.user.deletedAt || !pending.user.isActive) throw invalidResetToken();
  const { user } = pending;
  if (passwordMatchesIdentity(new_password, user)) {
    throw invalidField("body.new_password", "Password may not be the same as your email or username");
  }
  // A reset link proves the mailbox, one factor: an account with two keeps needing its second. Wrong codes are
  // held by the user's re-authentication backoff, and the link stays unspent so the owner can try again.
  if (user.totpEnabledAt) {
    if (!otp && !recovery_code) throw mfaRequired();
    await reauthenticate(c.var, { user, client: c.var.clientKey }, () =>
      secondFactorOrProblem(c.var, user, { otp, recovery_code }, mfaInvalid),
    );
  }
  const passwordHash = await hashPassword(new_password, config.argon2);
  const spent = await consumeAccountToken(db, token, "password_reset");
  if (!spent) throw invalidResetToken();

  await db.batch([
    db
      .update(users)
      .set({
        passwordHash,
        updatedAt: now,
        // The link reached this inbox: the address is proved.
        ...(spent.email === user.email && !user.emailVerifiedAt ? { emailVerifiedAt: now } : {}),
      })
      .where(eq(users.id, user.id)),
    revokeUserSessionsStatement(db, user.id, "password_reset"),
    voidAccountTokensStatement(db, user.id),
    audit.insert({ action: "auth.password_reset_completed", actorId: user.id, targetType: "user", targetId: user.id }),
  ]);
  await attempts.clearAccount(user);
  return c.body(null, 204);
};

export const verifyEmail: AppRouteHandler<VerifyEmailRoute> = async (c) => {
  const { token } = c.req.valid("json");
  const { db, audit } = c.var;
  const spent = await consumeAccountToken(db, token, "email_verification");
  const invalid = new ApiError(400, "invalid_verification_token", "This verification link is invalid or has expired.");
  if (!spent) throw invalid;
  const now = new Date().toISOString();
  // Only the address the link was sent to is confirmed: if the email changed since, the link proves nothing.
  const [user] = await db
    .update(users)
    .set({ emailVerifiedAt: now, updatedAt: now })
    .where(and(eq(users.id, spent.userId), eq(users.email, spent.email), isNull(users.deletedAt)))
    .returning();
  if (!user) throw invalid;
  await audit.record({ action: "auth.email_verified", actorId: user.id, targetType: "user", targetId: user.id });
  return c.json(toPublicUser(user), 200);
};

export const resendVerification: AppRouteHandler<ResendVerificationRoute> = async (c) => {
  const { user } = c.var.auth;
  if (user.emailVerifiedAt) throw new ApiError(409, "already_verified", "This email address is already verified.");
  inBackground(c, "email_verification", () => sendEmailVerification(c.var, user));
  return c.json({ status: "accepted" as const, detail: "A new verification link has been sent." }, 202);
};
