import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
    /** Last sign-in or refresh on this session. */
    lastUsedAt: text("last_used_at").notNull(),
    /** When the newest refresh token of the session expires. */
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
    /** Truncated client address (/24 or /48), shown to the owner; never the full address. */
    clientNetwork: text("client_network"),
    /** How the sign-in was proved (RFC 8176 values): `pwd`, plus `otp` or `mfa` with a second factor. */
    amr: text("amr", { mode: "json" }).$type<string[]>().notNull().default(["pwd"]),
  },
  (table) => [index("sessions_user_idx").on(table.userId, table.createdAt)],
);

/** Refresh tokens, stored only as SHA-256 hashes. A spent token presented again revokes its session. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id),
    issuedAt: text("issued_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    spentAt: text("spent_at"),
  },
  (table) => [index("refresh_tokens_session_idx").on(table.sessionId)],
);

export type SessionRow = typeof sessions.$inferSelect;
