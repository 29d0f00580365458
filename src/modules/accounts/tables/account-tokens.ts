import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

export const ACCOUNT_TOKEN_PURPOSES = ["password_reset", "email_verification"] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * Single-use tokens sent by email (password reset, email verification),
 * stored only as SHA-256 hashes. A new token of a purpose supersedes the
 * user's earlier ones.
 */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    purpose: text("purpose", { enum: ACCOUNT_TOKEN_PURPOSES }).notNull(),
    /** The address the token was sent to: a verification token only confirms that address. */
    email: text("email").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (table) => [index("account_tokens_user_idx").on(table.userId, table.purpose)],
);
