import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { StockService } from "../inventory/stock-service";
import type { AppBindings } from "../lib/types";
import { MockPaymentProvider } from "../payments/provider";
import { AuditLog } from "../services/audit";
import { createMailer } from "../services/mailer";

/** Per-request services: one database client per request, the audit log and mailer built on it, stock and payments. */
export function services() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const db = createDb(c.var.config.database);
    c.set("db", db);
    c.set("audit", new AuditLog(db, { requestId: c.var.requestId, network: c.var.clientNetwork }));
    c.set("mailer", createMailer(c.var.config, db));
    c.set("stock", new StockService(c.env.PRODUCT_STOCK));
    c.set("payments", new MockPaymentProvider());
    await next();
  });
}
