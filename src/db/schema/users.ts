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
    /** Lower-cased username: makes uniqueness and lookups case-insensitive. */
    usernameKey: text("username_key").notNull(),
    fullName: text("full_name"),
    /** PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("user"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    deletedAt: text("deleted_at"),
  },
  (table) => [
    uniqueIndex("users_email_unique").on(table.email),
    uniqueIndex("users_username_key_unique").on(table.usernameKey),
    index("users_created_at_idx").on(table.createdAt, table.id),
    check("users_role_check", sql`${table.role} in ('user', 'admin')`),
  ],
);

export type UserRow = typeof users.$inferSelect;
