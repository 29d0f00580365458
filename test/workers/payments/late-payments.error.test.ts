import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents, refunds } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct, setStock } from "../support/catalog";
import { passTime, runCron } from "../support/clock";
import { deliverAndSettle, intentOf, orderRow, stripeEvent } from "../support/payments";
import { addToCart, asShopper, type OrderBody, placeOrderWith, stockOf } from "../support/shopping";

afterEach(() => {
  vi.useRealTimers();
});

/** An order whose reservation lapsed and which the cron expired (a one-second reservation, then the cron). */
async function expiredOrder(quantity: number, stock: number) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: stock });
  await addToCart(shopper, product.id, quantity);
  const placed = await placeOrderWith({ RESERVATION_TTL_SECONDS: "1" }, shopper);
  expect(placed.status).toBe(201);
  const { id } = (await placed.json()) as OrderBody;
  passTime(2);
  await runCron();
  const order = await orderRow(id);
  expect(order.status).toBe("expired");
  expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: stock, reserved: 0 });
  return { admin, shopper, product, order };
}

describe("a payment that succeeds after its order lapsed", () => {
  it("when the stock is still there, it is reserved again and the order becomes paid", async () => {
    const { product, order } = await expiredOrder(2, 5);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order)));
    const paid = await orderRow(order.id);
    expect(paid).toMatchObject({ status: "paid", paymentStatus: "succeeded" });
    expect(paid.reservationKey).toMatch(new RegExp(`^${order.id}:late:`));
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("when the stock is gone, the whole payment is refunded and the order says out_of_stock", async () => {
    const { admin, product, order } = await expiredOrder(2, 5);
    await setStock(admin, product.variant_id, 1);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order)));
    const refunded = await orderRow(order.id);
    expect(refunded).toMatchObject({
      status: "refunded",
      refundedAmount: order.totalAmount,
      paymentStatus: "refunded",
    });
    const view = (await (
      await admin.client.fetch(`/api/admin/orders/${order.id}`, { token: admin.tokens.access_token })
    ).json()) as OrderBody;
    expect(view.events.at(-1)).toMatchObject({ from: "expired", to: "refunded", reason: "out_of_stock" });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 1, reserved: 0 });
    const [refund] = await testDb().select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(refund).toMatchObject({ amount: order.totalAmount, reason: "out_of_stock", restock: false });
    const audit = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, order.id), eq(auditEvents.action, "payment.refunded_out_of_stock")));
    expect(audit).toHaveLength(1);
    // The processor's confirmation of that refund (the mock's `charge.refunded`) closes the refund record.
    await vi.waitFor(
      async () => {
        const [confirmed] = await testDb().select().from(refunds).where(eq(refunds.orderId, order.id));
        expect(confirmed?.status).toBe("succeeded");
      },
      { timeout: 20_000, interval: 250 },
    );
  }, 30_000);

  it("an order the customer cancelled is paid again when its payment still arrives and the stock allows", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 3 });
    await addToCart(shopper, product.id, 1);
    const placed = (await (await placeOrderWith({}, shopper)).json()) as OrderBody;
    const cancelled = await shopper.client.fetch(`/api/orders/${placed.id}/cancel`, {
      method: "POST",
      token: shopper.token,
    });
    expect(cancelled.status).toBe(200);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(await orderRow(placed.id))));
    expect((await orderRow(placed.id)).status).toBe("paid");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 2, reserved: 0 });
  });
});
