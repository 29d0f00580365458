import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { newId } from "../ids";
import { mask } from "../logger";
import { auditEvents } from "./tables";

export const AUDIT_ACTIONS = [
  "user.registered",
  "auth.login_succeeded",
  "auth.login_failed",
  "auth.logout",
  "auth.logout_all",
  "auth.refresh_reuse_detected",
  "session.revoked",
  "user.updated",
  "user.password_changed",
  "user.deleted",
  "admin.user_updated",
  "admin.access_denied",
  "auth.password_reset_requested",
  "auth.password_reset_completed",
  "auth.email_verified",
  "auth.recovery_code_used",
  "user.2fa_enabled",
  "user.2fa_disabled",
  "user.recovery_codes_regenerated",
  "product.created",
  "product.updated",
  "product.deleted",
  "product.restored",
  "variant.created",
  "variant.updated",
  "variant.deleted",
  "category.created",
  "category.updated",
  "category.deleted",
  "inventory.changed",
  "order.transitioned",
  "payment.succeeded",
  "payment.failed",
  "payment.canceled",
  "payment.mismatch",
  "payment.disputed",
  "payment.refunded",
  "payment.refunded_out_of_stock",
  "refund.requested",
  "refund.failed",
  "payment_event.replayed",
  "discount_code.created",
  "discount_code.updated",
  "discount_code.deleted",
  "shipping_zone.created",
  "shipping_zone.updated",
  "shipping_zone.deleted",
  "shipping_method.created",
  "shipping_method.updated",
  "shipping_method.deleted",
  "tax_rate.created",
  "tax_rate.updated",
  "tax_rate.deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  actorId?: string | null;
  targetType?:
    | "user"
    | "session"
    | "product"
    | "variant"
    | "category"
    | "order"
    | "payment_event"
    | "discount_code"
    | "shipping_zone"
    | "shipping_method"
    | "tax_rate";
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** What an audited admin write needs: the database, the audit log, who acts, and when (ISO 8601). */
export interface AuditedWrite {
  db: Database;
  audit: AuditLog;
  actorId: string;
  at: string;
}

/**
 * The request's audit trail. `insert` returns a statement to put in the same
 * batch as the change it records; `record` writes on its own. Details pass
 * through the same masking function as the logs.
 */
/** An update's audit details: `{field: {from, to}}` for each field the change names. */
export function describeChanges(before: Record<string, unknown>, change: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(change).map(([field, value]) => [field, { from: before[field] ?? null, to: value ?? null }]),
  );
}

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly context: { requestId: string; network: string | null },
  ) {}

  #row(entry: AuditEntry) {
    return {
      id: newId("aud"),
      at: new Date().toISOString(),
      actorId: entry.actorId ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      requestId: this.context.requestId,
      ip: this.context.network,
      details: entry.details ? (mask(entry.details) as Record<string, unknown>) : null,
    };
  }

  insert(entry: AuditEntry) {
    return this.db.insert(auditEvents).values(this.#row(entry));
  }

  /** An entry written only if `condition` holds when the statement runs: for a batch whose change may not take. */
  insertWhen(entry: AuditEntry, condition: SQL) {
    const row = this.#row(entry);
    return this.db.run(sql`insert into ${auditEvents} (id, at, actor_id, action, target_type, target_id, request_id, ip, details)
      select ${row.id}, ${row.at}, ${row.actorId}, ${row.action}, ${row.targetType}, ${row.targetId}, ${row.requestId},
        ${row.ip}, ${row.details === null ? null : JSON.stringify(row.details)}
      where ${condition}`);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.insert(entry);
  }
}
