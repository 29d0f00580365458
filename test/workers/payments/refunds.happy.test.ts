import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents, refunds } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import {
  orderReaches,
  orderRow,
  paidOrder,
  requestRefund,
  stubStripe,
  WITH_STRIPE,
  workingStripe,
} from "../support/payments";
import { addToCart, asShopper, placeOrder, placeOrderWith, stockOf } from "../support/shopping";
import { callWorkerWith } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

async function paidOrderOf(quantity: number, stock: number, stripe = false) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: stock, price_amount: 1000 });
  await addToCart(shopper, product.id, quantity);
  const order = await paidOrder(
    shopper,
    stripe ? await placeOrderWith(WITH_STRIPE, shopper) : await placeOrder(shopper),
  );
  const refund = (body: Record<string, unknown>, key = crypto.randomUUID()) =>
    requestRefund(admin, order.id, body, key);
  return { admin, shopper, product, order, refund };
}

describe("refunds", () => {
  it("a partial refund, then the rest with restock: partially_refunded, then refunded with the stock back", async () => {
    const { admin, shopper, product, order, refund } = await paidOrderOf(3, 10);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 7, reserved: 0 });

    const first = await refund({ amount: 1000, reason: "one cup arrived broken", restock: false });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({
      order_id: order.id,
      amount: 1000,
      reason: "one cup arrived broken",
      restock: false,
      status: "requested",
      requested_by: admin.id,
    });
    const partly = await orderReaches(order.id, "partially_refunded");
    expect(partly.refundedAmount).toBe(1000);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 7 });

    const rest = await refund({ reason: "customer returned the rest", restock: true });
    expect(rest.status).toBe(202);
    expect(await rest.json()).toMatchObject({ amount: 2000, restock: true });
    const refunded = await orderReaches(order.id, "refunded");
    expect(refunded.refundedAmount).toBe(3000);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 10, reserved: 0 });

    const rows = await testDb().select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(rows.map((row) => [row.amount, row.status]).sort()).toEqual([
      [1000, "succeeded"],
      [2000, "succeeded"],
    ]);
    const payment = (await (
      await shopper.client.fetch(`/api/orders/${order.id}/payment`, { token: shopper.token })
    ).json()) as Record<string, unknown>;
    expect(payment).toMatchObject({ order_status: "refunded", refunded_amount: 3000, status: "refunded" });
    const requested = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, order.id), eq(auditEvents.action, "refund.requested")));
    expect(requested).toHaveLength(2);
  });

  it("the same Idempotency-Key and body replays the first answer and refunds once", async () => {
    const { order, refund } = await paidOrderOf(1, 5);
    const first = await refund({ amount: 400, reason: "late delivery", restock: false }, "refund-key-1");
    const again = await refund({ amount: 400, reason: "late delivery", restock: false }, "refund-key-1");
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(await testDb().select().from(refunds).where(eq(refunds.orderId, order.id))).toHaveLength(1);
  });

  it("with Stripe, the refund is created for the order's PaymentIntent with an idempotency key from the request's", async () => {
    const calls = stubStripe(workingStripe);
    const { admin, order } = await paidOrderOf(2, 5, true);
    const response = await callWorkerWith(WITH_STRIPE, `/api/admin/orders/${order.id}/refund`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${admin.tokens.access_token}`,
        "CF-Connecting-IP": admin.client.ip,
        "content-type": "application/json",
        "Idempotency-Key": "stripe-refund-1",
      },
      body: JSON.stringify({ amount: 700, reason: "goodwill", restock: false }),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { provider_refund_id: string };
    const refundCalls = calls.filter((call) => call.path === "/v1/refunds");
    expect(refundCalls).toHaveLength(1);
    expect(refundCalls[0]?.idempotencyKey).toBe(`refund:${order.id}:stripe-refund-1`);
    expect(Object.fromEntries(refundCalls[0]?.form ?? [])).toMatchObject({
      payment_intent: order.paymentIntentId,
      amount: "700",
      "metadata[order_id]": order.id,
    });
    expect(body.provider_refund_id).toMatch(/^re_/);
    // Until Stripe confirms, the order is unchanged.
    expect((await orderRow(order.id)).status).toBe("paid");
  });
});
