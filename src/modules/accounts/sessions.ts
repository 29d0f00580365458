/**
 * Sessions and their rotating refresh tokens. A session is one sign-in on one
 * device; access tokens name it (`sid`), so revoking it stops them at once.
 */
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { newId } from "../../platform/ids";
import { refreshTokens, type SessionRow, sessions } from "./tables/sessions";
import { type UserRow, users } from "./tables/users";
import { hashToken, newRefreshToken } from "./tokens";

const DAY_MS = 24 * 60 * 60 * 1000;
const USER_AGENT_MAX = 256;

/** Statements that open a session with its first refresh token, for the caller's batch. */
export async function openSession(
  db: Database,
  input: {
    userId: string;
    userAgent: string | null;
    network: string | null;
    ttlDays: number;
    amr: string[];
    now?: number;
  },
) {
  const now = input.now ?? Date.now();
  const at = new Date(now).toISOString();
  const expiresAt = new Date(now + input.ttlDays * DAY_MS).toISOString();
  const refreshToken = newRefreshToken();
  const session: SessionRow = {
    id: newId("ses"),
    userId: input.userId,
    createdAt: at,
    lastUsedAt: at,
    expiresAt,
    revokedAt: null,
    revokedReason: null,
    userAgent: input.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    clientNetwork: input.network,
    amr: input.amr,
  };
  const statements = [
    db.insert(sessions).values(session),
    db.insert(refreshTokens).values({
      tokenHash: await hashToken(refreshToken),
      sessionId: session.id,
      issuedAt: at,
      expiresAt,
    }),
  ] as const;
  return { session, refreshToken, statements };
}

export type RotationResult =
  | { kind: "rotated"; user: UserRow; session: SessionRow; refreshToken: string }
  | { kind: "reused"; user: UserRow; session: SessionRow }
  | { kind: "invalid" };

/**
 * Spends a refresh token and issues the next one. A token that was already
 * spent means it leaked or was replayed: the whole session is revoked.
 */
export async function rotateRefreshToken(db: Database, presented: string, ttlDays: number): Promise<RotationResult> {
  const now = Date.now();
  const at = new Date(now).toISOString();
  const tokenHash = await hashToken(presented);
  const [found] = await db
    .select({ token: refreshTokens, session: sessions, user: users })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  if (!found) return { kind: "invalid" };
  const { token, session, user } = found;
  if (session.revokedAt || !user.isActive || user.deletedAt) return { kind: "invalid" };
  if (token.spentAt) return { kind: "reused", user, session };
  if (token.expiresAt <= at || session.expiresAt <= at) return { kind: "invalid" };

  const spent = await db
    .update(refreshTokens)
    .set({ spentAt: at })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.spentAt)));
  // Another request spent it between our read and this write: the same token was used twice.
  if (spent.rowsAffected !== 1) return { kind: "reused", user, session };

  const refreshToken = newRefreshToken();
  const expiresAt = new Date(now + ttlDays * DAY_MS).toISOString();
  await db.batch([
    db
      .insert(refreshTokens)
      .values({ tokenHash: await hashToken(refreshToken), sessionId: session.id, issuedAt: at, expiresAt }),
    db.update(sessions).set({ lastUsedAt: at, expiresAt }).where(eq(sessions.id, session.id)),
  ]);
  return { kind: "rotated", user, session: { ...session, lastUsedAt: at, expiresAt }, refreshToken };
}

export function revokeSessionStatement(db: Database, sessionId: string, reason: string) {
  return db
    .update(sessions)
    .set({ revokedAt: new Date().toISOString(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every active session of a user, except one when given (the caller's own). */
export function revokeUserSessionsStatement(db: Database, userId: string, reason: string, exceptSessionId?: string) {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (exceptSessionId) conditions.push(ne(sessions.id, exceptSessionId));
  return db
    .update(sessions)
    .set({ revokedAt: new Date().toISOString(), revokedReason: reason })
    .where(and(...conditions));
}

export async function listActiveSessions(db: Database, userId: string): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date().toISOString())),
    )
    .orderBy(sessions.createdAt);
}
