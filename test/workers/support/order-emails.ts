import { asc, eq, sql } from "drizzle-orm";
import { expect, vi } from "vitest";
import { devOutbox, orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "./accounts";
import { createProduct } from "./catalog";
import { orderReaches, orderRow, paidOrder, requestRefund } from "./payments";
import { ADDRESS, addToCart, asShopper, placeOrder, STANDARD_SHIPPING } from "./shopping";

type OutboxRow = typeof devOutbox.$inferSelect;

/** Every message the development outbox holds for this address, oldest first. */
export async function emailsTo(address: string): Promise<OutboxRow[]> {
  return testDb()
    .select()
    .from(devOutbox)
    .where(eq(devOutbox.to, address.toLowerCase()))
    .orderBy(asc(devOutbox.at), sql`rowid`);
}

/** Waits until `count` messages whose subject matches have reached the address (sent in the background). */
export async function awaitEmails(address: string, subject: RegExp, count = 1): Promise<OutboxRow[]> {
  return vi.waitFor(
    async () => {
      const matching = (await emailsTo(address)).filter((message) => subject.test(message.subject));
      expect(matching).toHaveLength(count);
      return matching;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** The token of the order link in an email (the storefront's `/orders/view?token=` page). */
export function linkTokenOf(message: Pick<OutboxRow, "text">): string {
  const token = /\/orders\/view\?token=([\w-]+)/.exec(message.text)?.[1];
  if (!token) throw new Error("no order link in the email");
  return token;
}

/**
 * Checkout does not price discounts, shipping or tax on this branch yet: the order is given them directly, as
 * checkout will store them (prices including tax, so the total, and what is paid, stays unchanged).
 */
export const PRICED = {
  discountAmount: 300,
  discountCode: "SPRING10",
  shippingAmount: 300,
  shippingMethodName: "Standard",
  taxAmount: 500,
  pricesIncludeTax: true,
} as const;

/**
 * A new shopper's order of 3 × 10.00 (a discount, shipping and 5.00 of tax included), paid through a signed
 * `payment_intent.succeeded`; `product` and `address` name what the shopper buys and where it goes.
 */
export async function pricedPaidOrder(options: { productName?: string; address?: Record<string, string> } = {}) {
  const admin = await signedInAdmin();
  const account = await signedInUser();
  const shopper = asShopper(account);
  const product = await createProduct(admin, {
    initial_stock: 10,
    price_amount: 1000,
    ...(options.productName ? { name: options.productName } : {}),
  });
  await addToCart(shopper, product.id, 3);
  const placed = await placeOrder(shopper, crypto.randomUUID(), {
    shipping_address: options.address ?? ADDRESS,
    shipping_method_id: STANDARD_SHIPPING,
  });
  const { id } = (await placed.clone().json()) as { id: string };
  await testDb().update(orders).set(PRICED).where(eq(orders.id, id));
  const order = await paidOrder(shopper, placed);
  return { admin, account, shopper, product, order };
}

type Admin = Awaited<ReturnType<typeof signedInAdmin>>;

/** An admin's move of the order (processing, shipped, …), with the body's other fields. */
export function moveOrder(admin: Admin, orderId: string, body: Record<string, unknown>) {
  return admin.client.json("POST", `/api/admin/orders/${orderId}/transition`, body, admin.tokens.access_token);
}

/** An admin's refund of `amount` (all that is left when omitted), waited for until the processor confirms it. */
export async function refundAndConfirm(admin: Admin, orderId: string, status: string, amount?: number) {
  const response = await requestRefund(admin, orderId, { amount, reason: "returned", restock: false });
  expect(response.status, await response.clone().text()).toBe(202);
  await orderReaches(orderId, status);
  return orderRow(orderId);
}
