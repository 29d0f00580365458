import { createMiddleware } from "hono/factory";
import { mergeGuestCartOnSignIn } from "./modules/cart";
import { AuditLog } from "./platform/audit/audit-log";
import type { AppBindings } from "./platform/http/types";
import { createMailer } from "./platform/mail/mailer";
import { coreServices, type ServiceOverrides } from "./services";

/** Per-request services: one database client per request, the audit log and mailer built on it, stock, sign-in backoff, payments, and the guest cart merge joined to sign-in. */
export function services(overrides?: ServiceOverrides) {
  return createMiddleware<AppBindings>(async (c, next) => {
    const { db, stock, attempts, payments, paymentEvents, clock } = coreServices(c.var.config, c.env, overrides);
    c.set("db", db);
    c.set("clock", clock);
    c.set("audit", new AuditLog(db, { requestId: c.var.requestId, network: c.var.clientNetwork }));
    c.set("mailer", createMailer(c.var.config, db));
    c.set("stock", stock);
    c.set("attempts", attempts);
    c.set("payments", payments);
    c.set("paymentEvents", paymentEvents);
    // A sign-in with a guest's cart token takes that cart into the account's: accounts cannot import the cart,
    // which imports it.
    c.set("afterSignIn", mergeGuestCartOnSignIn);
    await next();
  });
}
