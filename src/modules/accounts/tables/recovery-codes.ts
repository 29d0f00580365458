import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** One-time 2FA recovery codes, stored only as SHA-256 hashes. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at").notNull(),
    usedAt: text("used_at"),
  },
  (table) => [index("recovery_codes_user_idx").on(table.userId)],
);
