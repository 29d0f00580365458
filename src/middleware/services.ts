import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../lib/types";
import { AuditLog } from "../services/audit";
import { coreServices } from "../services/core";
import { createMailer } from "../services/mailer";

/** Per-request services: one database client per request, the audit log and mailer built on it, stock and payments. */
export function services() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const { db, stock, payments, paymentEvents } = coreServices(c.var.config, c.env);
    c.set("db", db);
    c.set("audit", new AuditLog(db, { requestId: c.var.requestId, network: c.var.clientNetwork }));
    c.set("mailer", createMailer(c.var.config, db));
    c.set("stock", stock);
    c.set("payments", payments);
    c.set("paymentEvents", paymentEvents);
    await next();
  });
}
