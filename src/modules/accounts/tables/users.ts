import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Trimmed and lower-cased. */
    email: text("email").notNull(),
    /** As chosen, after NFKC normalization. */
    username: text("username").notNull(),
    /** `usernameKey(username)`: case folding and confusable skeletons, so look-alike names are one name. */
    usernameKey: text("username_key").notNull(),
    fullName: text("full_name"),
    /** PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("user"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deletedAt: text("deleted_at"),
    /** When the current email was confirmed; reset when the email changes. */
    emailVerifiedAt: text("email_verified_at"),
    /** TOTP secret, AES-256-GCM encrypted (never stored in the clear); set once 2FA is enabled. */
    totpSecret: text("totp_secret"),
    /** A secret from `2fa/setup` awaiting its first code. */
    totpPendingSecret: text("totp_pending_secret"),
    totpEnabledAt: text("totp_enabled_at"),
    /** The time step of the last code accepted: a code is good once. */
    totpLastStep: integer("totp_last_step"),
  },
  (table) => [
    uniqueIndex("users_email_unique").on(table.email),
    uniqueIndex("users_username_key_unique").on(table.usernameKey),
    index("users_created_at_idx").on(table.createdAt, table.id),
    check("users_role_check", sql`${table.role} in ('user', 'admin')`),
  ],
);

export type UserRow = typeof users.$inferSelect;
