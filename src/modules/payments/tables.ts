import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { orders } from "../orders/tables";

export const WEBHOOK_EVENT_STATUSES = ["received", "queued", "processing", "processed", "ignored", "failed"] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * Every verified payment event, by the processor's event id (unique): the
 * record that makes processing exactly-once and failures visible.
 */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    receivedAt: text("received_at").notNull(),
    status: text("status", { enum: WEBHOOK_EVENT_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** While `processing`: when the claim lapses if the worker died mid-way; while `queued`: when its message counts as lost. */
    leaseUntil: text("lease_until"),
    lastError: text("last_error"),
    processedAt: text("processed_at"),
    orderId: text("order_id"),
  },
  (table) => [index("webhook_events_status_idx").on(table.status, table.receivedAt)],
);

/** Refunds asked for by admins; the order changes when the processor confirms them (`charge.refunded`). */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    amount: integer("amount").notNull(),
    reason: text("reason").notNull(),
    restock: integer("restock", { mode: "boolean" }).notNull(),
    providerRefundId: text("provider_refund_id"),
    status: text("status", { enum: ["requested", "succeeded", "failed"] }).notNull(),
    requestedBy: text("requested_by"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [index("refunds_order_idx").on(table.orderId)],
);
