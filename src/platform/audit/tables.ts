import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Append-only security record. `details` is JSON that went through the masking function. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    requestId: text("request_id"),
    /** Truncated client address. */
    ip: text("ip"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (table) => [
    index("audit_events_at_idx").on(table.at, table.id),
    index("audit_events_actor_idx").on(table.actorId, table.at),
    index("audit_events_action_idx").on(table.action, table.at),
    index("audit_events_target_idx").on(table.targetType, table.targetId, table.at),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
