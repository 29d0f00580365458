import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Failed sign-in counters, keyed by a hash of the identifier typed (and of
 * identifier + client), whether or not the account exists, so the backoff
 * itself cannot reveal which accounts exist.
 */
export const loginThrottles = sqliteTable("login_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: text("last_failure_at").notNull(),
  blockedUntil: text("blocked_until"),
});
