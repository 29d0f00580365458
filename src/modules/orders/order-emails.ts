/**
 * The emails an order sends its shopper (account or guest) when it is paid, shipped or refunded, in plain text
 * and HTML with the same content. Callers send one only after a move that took (the conditional update's
 * result), in the background: a duplicate event moves nothing and sends nothing, and a failed send never undoes
 * the move. An email carries the order's contents and the signed order link, never payment data: no intent id,
 * no client secret (and no card data exists here to leak).
 */
import { eq } from "drizzle-orm";
import type { Clock } from "../../platform/clock";
import type { AppConfig } from "../../platform/config";
import type { Database } from "../../platform/db/client";
import type { EmailMessage, Mailer } from "../../platform/mail/mailer";
import { users } from "../accounts";
import { escapeHtml, formatMoney } from "./email-format";
import { orderLinkKey, orderLinkUrl, signOrderLink } from "./order-links";
import { type orderItems, orders } from "./tables";
import { orderDetailQueries } from "./views";

const PRODUCT = "Edge Commerce";
const DAY_MS = 86_400_000;

export interface OrderEmailServices {
  db: Database;
  mailer: Mailer;
  clock: Clock;
  config: Pick<AppConfig, "publicAppUrl" | "orderLinkTtlDays" | "jwt">;
}

/** What happened to the order; a refund names the totals the move wrote (the email states them, not a guess). */
export type OrderEmailEvent =
  | { kind: "paid" }
  | { kind: "shipped" }
  | { kind: "refunded"; refundedAmount: number; refundedTaxAmount: number };

type OrderRow = typeof orders.$inferSelect;
type OrderItemRow = typeof orderItems.$inferSelect;

/** One label and value of the summary; both renderings are made from these rows. */
interface Row {
  label: string;
  value: string;
}

interface Content {
  subject: string;
  intro: string[];
  items: Row[];
  totals: Row[];
  address: string[];
  link: string;
  linkUntil: string;
}

/** Sends the email for `event` to the order's address (the account's, for orders from before emails were stored). */
export async function sendOrderEmail(
  services: OrderEmailServices,
  orderId: string,
  event: OrderEmailEvent,
): Promise<void> {
  const { db, mailer, clock, config } = services;
  const [itemsQuery] = orderDetailQueries(db, orderId);
  const [[found], items] = await db.batch([
    db
      .select({ order: orders, accountEmail: users.email })
      .from(orders)
      .leftJoin(users, eq(users.id, orders.userId))
      .where(eq(orders.id, orderId))
      .limit(1),
    itemsQuery,
  ]);
  if (!found) throw new Error(`order ${orderId} not found for its email`);
  const to = found.order.email ?? found.accountEmail;
  if (!to) throw new Error(`order ${orderId} has no address to email`);
  const expiresAt = new Date(clock.now().getTime() + config.orderLinkTtlDays * DAY_MS);
  const token = await signOrderLink(orderId, expiresAt, await orderLinkKey(config.jwt.secret));
  const content = contentOf(found.order, items, event, {
    url: orderLinkUrl(config.publicAppUrl, token),
    until: expiresAt,
  });
  await mailer.send({ to, ...render(content) });
}

function contentOf(
  order: OrderRow,
  items: OrderItemRow[],
  event: OrderEmailEvent,
  link: { url: string; until: Date },
): Content {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const totals: Row[] = [{ label: "Subtotal", value: money(order.subtotalAmount) }];
  if (order.discountAmount > 0) {
    const code = order.discountCode ? ` (${order.discountCode})` : "";
    totals.push({ label: `Discount${code}`, value: money(-order.discountAmount) });
  }
  if (order.shippingAmount > 0 || order.shippingMethodName) {
    const method = order.shippingMethodName ? ` (${order.shippingMethodName})` : "";
    totals.push({ label: `Shipping${method}`, value: money(order.shippingAmount) });
  }
  if (order.taxAmount > 0) {
    totals.push({ label: order.pricesIncludeTax ? "Tax (incl.)" : "Tax", value: money(order.taxAmount) });
  }
  totals.push({ label: "Total", value: money(order.totalAmount) });
  const address = order.shippingAddress;
  return {
    ...introOf(order, event, money),
    items: items.map((item) => ({
      label: `${item.name} (${item.variantTitle}) × ${item.quantity}`,
      value: money(item.lineAmount),
    })),
    totals,
    address: [
      address.name,
      address.line1,
      address.line2,
      [address.postal_code, address.city].join(" "),
      address.region,
      address.country,
    ].filter((line): line is string => Boolean(line)),
    link: link.url,
    linkUntil: link.until.toISOString().slice(0, 10),
  };
}

function introOf(
  order: OrderRow,
  event: OrderEmailEvent,
  money: (amount: number) => string,
): Pick<Content, "subject" | "intro"> {
  switch (event.kind) {
    case "paid":
      return {
        subject: `Your ${PRODUCT} order ${order.id} is confirmed`,
        intro: [`Thank you: we received your payment of ${money(order.totalAmount)} for order ${order.id}.`],
      };
    case "shipped":
      return {
        subject: `Your ${PRODUCT} order ${order.id} has shipped`,
        intro: [
          `Your order ${order.id} is on its way.`,
          order.trackingReference
            ? `Tracking reference: ${order.trackingReference}`
            : "The carrier has not given a tracking reference for it.",
        ],
      };
    case "refunded": {
      const full = event.refundedAmount >= order.totalAmount;
      return {
        subject: `Your ${PRODUCT} order ${order.id} was refunded${full ? "" : " in part"}`,
        intro: [
          `We refunded ${money(event.refundedAmount)} of the ${money(order.totalAmount)} you paid for order ${order.id}${full ? " (all of it)" : " so far"}.`,
          `Of the amount refunded, ${money(event.refundedTaxAmount)} is tax.`,
        ],
      };
    }
  }
}

function render(content: Content): Pick<EmailMessage, "subject" | "text" | "html"> {
  const rowText = (row: Row) => `${row.label}: ${row.value}`;
  const text = [
    ...content.intro,
    "",
    ...content.items.map((row) => `- ${rowText(row)}`),
    "",
    ...content.totals.map(rowText),
    "",
    "Shipping to:",
    ...content.address,
    "",
    `Your order at any time (this link works until ${content.linkUntil}; anyone who has it can see the order):`,
    content.link,
  ].join("\n");

  const rowHtml = (row: Row) => `<tr><td>${escapeHtml(row.label)}</td><td>${escapeHtml(row.value)}</td></tr>`;
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head><body>`,
    ...content.intro.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<table>${content.items.map(rowHtml).join("")}</table>`,
    `<table>${content.totals.map(rowHtml).join("")}</table>`,
    `<p>Shipping to:<br>${content.address.map(escapeHtml).join("<br>")}</p>`,
    `<p><a href="${escapeHtml(content.link)}">Your order at any time</a> (this link works until ${escapeHtml(content.linkUntil)}; anyone who has it can see the order).</p>`,
    "</body></html>",
  ].join("\n");
  return { subject: content.subject, text, html };
}
