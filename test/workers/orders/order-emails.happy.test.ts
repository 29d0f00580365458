import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orderItems } from "../../../src/schema";
import { testDb } from "../support/accounts";
import {
  awaitEmails,
  linkTokenOf,
  moveOrder,
  PRICED,
  pricedPaidOrder,
  refundAndConfirm,
} from "../support/order-emails";
import type { OrderBody } from "../support/shopping";

describe("order emails", () => {
  it("paid: a confirmation in text and HTML with the lines, discount, shipping, tax included, total and the order link", async () => {
    const { account, order, product } = await pricedPaidOrder();
    const [confirmation] = await awaitEmails(account.email, /confirmed/);
    const line = `${product.name} (${(await itemOf(order.id)).variantTitle}) × 3: USD 30.00`;
    for (const expected of [
      line,
      "Subtotal: USD 30.00",
      `Discount (${PRICED.discountCode}): -USD 3.00`,
      `Shipping (${PRICED.shippingMethodName}): USD 3.00`,
      "Tax (incl.): USD 5.00",
      "Total: USD 30.00",
      "Ada Lovelace",
      `https://shop.test/orders/view?token=${linkTokenOf(confirmation ?? { text: "" })}`,
    ]) {
      expect(confirmation?.text).toContain(expected);
    }
    expect(confirmation?.subject).toBe(`Your Edge Commerce order ${order.id} is confirmed`);
    expect(confirmation?.html).toContain("<td>Tax (incl.)</td><td>USD 5.00</td>");
    expect(confirmation?.html).toContain("<td>Total</td><td>USD 30.00</td>");
    expect(confirmation?.html).toContain(`href="https://shop.test/orders/view?token=`);
  });

  it("shipped: the admin's tracking reference is stored trimmed, shown to admin and shopper, and emailed", async () => {
    const { admin, account, shopper, order } = await pricedPaidOrder();
    expect((await moveOrder(admin, order.id, { to: "processing" })).status).toBe(200);
    const shipped = await moveOrder(admin, order.id, { to: "shipped", tracking_reference: "  1Z999AA10123456784 " });
    expect(shipped.status, await shipped.clone().text()).toBe(200);
    expect(await shipped.json()).toMatchObject({ status: "shipped", tracking_reference: "1Z999AA10123456784" });
    const mine = await shopper.client.fetch(`/api/orders/${order.id}`, { token: shopper.token });
    expect(((await mine.json()) as OrderBody & { tracking_reference: string }).tracking_reference).toBe(
      "1Z999AA10123456784",
    );

    const [email] = await awaitEmails(account.email, /has shipped/);
    expect(email?.text).toContain("Tracking reference: 1Z999AA10123456784");
    expect(email?.html).toContain("Tracking reference: 1Z999AA10123456784");
    // Processing sends nothing: the shopper hears of payment, shipping and refunds only.
    await awaitEmails(account.email, /confirmed/);
  });

  it("refunds: two partial refunds give back tax in proportion, the full refund exactly the order's tax; each is emailed", async () => {
    const { admin, account, order } = await pricedPaidOrder();
    const first = await refundAndConfirm(admin, order.id, "partially_refunded", 1000);
    expect([first.refundedAmount, first.refundedTaxAmount]).toEqual([1000, 167]);
    const second = await refundAndConfirm(admin, order.id, "partially_refunded", 1000);
    expect([second.refundedAmount, second.refundedTaxAmount]).toEqual([2000, 333]);
    const full = await refundAndConfirm(admin, order.id, "refunded");
    expect([full.refundedAmount, full.refundedTaxAmount]).toEqual([3000, PRICED.taxAmount]);

    const partial = await awaitEmails(account.email, /refunded in part/, 2);
    expect(partial.map((email) => email.text.split("\n").slice(0, 2))).toEqual([
      [
        `We refunded USD 10.00 of the USD 30.00 you paid for order ${order.id} so far.`,
        "Of the amount refunded, USD 1.67 is tax.",
      ],
      [
        `We refunded USD 20.00 of the USD 30.00 you paid for order ${order.id} so far.`,
        "Of the amount refunded, USD 3.33 is tax.",
      ],
    ]);
    const [whole] = await awaitEmails(account.email, /was refunded$/);
    expect(whole?.text).toContain(`We refunded USD 30.00 of the USD 30.00 you paid for order ${order.id} (all of it).`);
    expect(whole?.html).toContain("Of the amount refunded, USD 5.00 is tax.");
  });
});

async function itemOf(orderId: string) {
  const [item] = await testDb().select().from(orderItems).where(eq(orderItems.orderId, orderId));
  if (!item) throw new Error(`order ${orderId} has no lines`);
  return item;
}
