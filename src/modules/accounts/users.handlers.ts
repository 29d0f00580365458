import { and, eq, isNull } from "drizzle-orm";
import { isUniqueViolation } from "../../platform/db/errors";
import { inBackground } from "../../platform/http/background";
import { ApiError, invalidField } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { emailChangedEmail } from "./account-emails";
import { voidAccountTokensStatement } from "./account-tokens";
import { reauthenticateWithPassword } from "./current-password";
import { sendEmailVerification } from "./email-verification";
import { passwordMatchesIdentity, usernameKey } from "./identity";
import { hashPassword } from "./password";
import { toPublicUser } from "./schemas";
import { listActiveSessions, revokeSessionStatement, revokeUserSessionsStatement } from "./sessions";
import { sessions } from "./tables/sessions";
import { users } from "./tables/users";
import type {
  ChangePasswordRoute,
  DeleteMeRoute,
  GetMeRoute,
  ListSessionsRoute,
  RevokeSessionRoute,
  UpdateMeRoute,
} from "./users.routes";

const DELETED_EMAIL_DOMAIN = "deleted.invalid";

export const getMe: AppRouteHandler<GetMeRoute> = (c) => c.json(toPublicUser(c.var.auth.user), 200);

export const updateMe: AppRouteHandler<UpdateMeRoute> = async (c) => {
  const body = c.req.valid("json");
  const { db, audit, auth } = c.var;
  const emailChanged = body.email !== undefined && body.email !== auth.user.email;
  if (emailChanged) {
    await reauthenticateWithPassword(c.var, { user: auth.user, client: c.var.clientKey }, body.current_password ?? "");
  }
  const changes = {
    ...(body.full_name !== undefined ? { fullName: body.full_name } : {}),
    ...(body.username !== undefined ? { username: body.username, usernameKey: usernameKey(body.username) } : {}),
    // A new address is unverified until its owner follows the link sent to it.
    ...(emailChanged ? { email: body.email, emailVerifiedAt: null } : {}),
    updatedAt: new Date().toISOString(),
  };
  try {
    const [updated] = await db.batch([
      db.update(users).set(changes).where(eq(users.id, auth.user.id)).returning(),
      // Links sent to the old address must not act on the account any more.
      ...(emailChanged ? [voidAccountTokensStatement(db, auth.user.id)] : []),
      audit.insert({
        action: "user.updated",
        actorId: auth.user.id,
        targetType: "user",
        targetId: auth.user.id,
        details: { fields: Object.keys(body).filter((key) => key !== "current_password") },
      }),
    ]);
    const user = updated[0];
    if (!user) throw new ApiError(404, "not_found", "The account no longer exists.");
    if (emailChanged) {
      inBackground(c, "email_verification", () => sendEmailVerification(c.var, user));
      inBackground(c, "email_changed_notice", () =>
        c.var.mailer.send(emailChangedEmail(auth.user.email, user.email, c.var.config.publicAppUrl)),
      );
    }
    return c.json(toPublicUser(user), 200);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError(409, "account_conflict", "An account with these details already exists.");
    }
    throw error;
  }
};

export const changePassword: AppRouteHandler<ChangePasswordRoute> = async (c) => {
  const { current_password, new_password } = c.req.valid("json");
  const { db, audit, auth, config } = c.var;
  await reauthenticateWithPassword(c.var, { user: auth.user, client: c.var.clientKey }, current_password);
  if (passwordMatchesIdentity(new_password, auth.user)) {
    throw invalidField("body.new_password", "Password may not be the same as your email or username");
  }
  const now = new Date().toISOString();
  await db.batch([
    db
      .update(users)
      .set({ passwordHash: await hashPassword(new_password, config.argon2), updatedAt: now })
      .where(eq(users.id, auth.user.id)),
    revokeUserSessionsStatement(db, auth.user.id, "password_changed", auth.session.id),
    voidAccountTokensStatement(db, auth.user.id),
    audit.insert({
      action: "user.password_changed",
      actorId: auth.user.id,
      targetType: "user",
      targetId: auth.user.id,
    }),
  ]);
  return c.body(null, 204);
};

export const deleteMe: AppRouteHandler<DeleteMeRoute> = async (c) => {
  const { current_password } = c.req.valid("json");
  const { db, audit, auth } = c.var;
  await reauthenticateWithPassword(c.var, { user: auth.user, client: c.var.clientKey }, current_password);
  const now = new Date().toISOString();
  const placeholder = `deleted${auth.user.id.replace(/^usr_/, "")}`;
  // The row stays (orders and audit refer to it) but stops being personal data
  // and stops holding the email and username, which can be registered again.
  await db.batch([
    db
      .update(users)
      .set({
        email: `${placeholder}@${DELETED_EMAIL_DOMAIN}`,
        username: placeholder,
        usernameKey: placeholder,
        fullName: null,
        passwordHash: "!",
        emailVerifiedAt: null,
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        isActive: false,
        deletedAt: now,
        updatedAt: now,
      })
      .where(eq(users.id, auth.user.id)),
    revokeUserSessionsStatement(db, auth.user.id, "account_deleted"),
    voidAccountTokensStatement(db, auth.user.id),
    audit.insert({ action: "user.deleted", actorId: auth.user.id, targetType: "user", targetId: auth.user.id }),
  ]);
  return c.body(null, 204);
};

export const listSessions: AppRouteHandler<ListSessionsRoute> = async (c) => {
  const { db, auth } = c.var;
  const rows = await listActiveSessions(db, auth.user.id);
  return c.json(
    {
      data: rows.map((session) => ({
        id: session.id,
        created_at: session.createdAt,
        last_used_at: session.lastUsedAt,
        expires_at: session.expiresAt,
        user_agent: session.userAgent,
        client_network: session.clientNetwork,
        current: session.id === auth.session.id,
      })),
    },
    200,
  );
};

export const revokeSession: AppRouteHandler<RevokeSessionRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, audit, auth } = c.var;
  // Scoped to the caller: another user's session id is indistinguishable from one that does not exist.
  const [owned] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, auth.user.id), isNull(sessions.revokedAt)))
    .limit(1);
  if (!owned) throw new ApiError(404, "not_found", "No such session.");
  await db.batch([
    revokeSessionStatement(db, id, "revoked_by_user"),
    audit.insert({ action: "session.revoked", actorId: auth.user.id, targetType: "session", targetId: id }),
  ]);
  return c.body(null, 204);
};
