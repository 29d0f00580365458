import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { refunds } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime, runCron } from "../support/clock";
import {
  deliverAndSettle,
  failingStripe,
  intentOf,
  orderRow,
  paidOrder,
  requestRefund,
  stripeEvent,
  stubStripe,
  WITH_STRIPE,
  workingStripe,
} from "../support/payments";
import { addToCart, asShopper, type OrderBody, placeOrder, placeOrderWith, stockOf } from "../support/shopping";
import { callWorkerWith, readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function setup(options: { paid: boolean; stripe?: boolean }) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 5, price_amount: 1000 });
  await addToCart(shopper, product.id, 2);
  const placed = options.stripe ? await placeOrderWith(WITH_STRIPE, shopper) : await placeOrder(shopper);
  const order = options.paid
    ? await paidOrder(shopper, placed)
    : await orderRow(((await placed.json()) as OrderBody).id);
  const refund = (body: unknown, init: { token?: string; key?: string | null } = {}) =>
    callWorkerWith(options.stripe ? WITH_STRIPE : {}, `/api/admin/orders/${order.id}/refund`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${init.token ?? admin.tokens.access_token}`,
        "CF-Connecting-IP": admin.client.ip,
        "content-type": "application/json",
        ...(init.key === null ? {} : { "Idempotency-Key": init.key ?? crypto.randomUUID() }),
      },
      body: JSON.stringify(body),
    });
  return { admin, shopper, order, refund };
}

describe("refund refusals", () => {
  it("more than was paid is a 422 naming what can still be refunded", async () => {
    const { refund, order } = await setup({ paid: true });
    const response = await refund({ amount: 2001, reason: "too much", restock: false });
    expect(response.status).toBe(422);
    expect(await readProblem(response)).toMatchObject({
      type: "urn:edge-commerce:problem:refund_exceeds_payment",
      refundable_amount: 2000,
    });
    expect(await testDb().select().from(refunds).where(eq(refunds.orderId, order.id))).toEqual([]);
  });

  it("refunds still pending count: two that together exceed the payment cannot both be requested", async () => {
    const { refund } = await setup({ paid: true });
    expect((await refund({ amount: 1500, reason: "first", restock: false })).status).toBe(202);
    const second = await refund({ amount: 600, reason: "second", restock: false });
    expect(second.status).toBe(422);
    expect(await readProblem(second)).toMatchObject({ refundable_amount: 500 });
  });

  it("concurrent refunds never add up to more than the payment", async () => {
    const { refund, order } = await setup({ paid: true });
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, index) => refund({ amount: 800, reason: `race ${index}`, restock: false })),
    );
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(2);
    for (const answer of answers.filter((answer) => answer.status !== 202)) expect([409, 422]).toContain(answer.status);
    const rows = await testDb().select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(rows.filter((row) => row.status !== "failed").reduce((sum, row) => sum + row.amount, 0)).toBeLessThanOrEqual(
      2000,
    );
  });

  it("restock goes only with refunding everything left", async () => {
    const { refund } = await setup({ paid: true });
    const response = await refund({ amount: 500, reason: "partial", restock: true });
    expect(response.status).toBe(422);
    expect(await readProblem(response)).toMatchObject({
      type: "urn:edge-commerce:problem:restock_requires_full_refund",
    });
  });

  it("an unpaid order cannot be refunded: 409 naming its status", async () => {
    const { refund } = await setup({ paid: false });
    const response = await refund({ reason: "nothing to refund", restock: false });
    expect(response.status).toBe(409);
    expect(await readProblem(response)).toMatchObject({ order_status: "awaiting_payment" });
  });

  it("invalid input is a 422 listing the fields; no Idempotency-Key is a 422", async () => {
    const { refund } = await setup({ paid: true });
    for (const body of [
      { amount: 0, reason: "x", restock: false },
      { amount: -5, reason: "x", restock: false },
      { amount: 10.5, reason: "x", restock: false },
      { reason: "", restock: false },
      { reason: "x" },
      { reason: "x", restock: false, currency: "usd" },
    ]) {
      const response = await refund(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    expect((await refund({ reason: "x", restock: false }, { key: null })).status).toBe(422);
  });

  it("only admins refund", async () => {
    const { refund, shopper, order } = await setup({ paid: true });
    expect((await refund({ reason: "mine", restock: false }, { token: shopper.token })).status).toBe(403);
    expect((await orderRow(order.id)).status).toBe("paid");
  });

  it("Stripe failing: 502, the refund is recorded failed, the order unchanged, and a retry can succeed", async () => {
    stubStripe(workingStripe);
    const { refund, order } = await setup({ paid: true, stripe: true });
    vi.restoreAllMocks();
    stubStripe((call) => (call.path === "/v1/refunds" ? failingStripe() : workingStripe(call)));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failed = await refund({ reason: "try", restock: false }, { key: "retry-me" });
    expect(failed.status).toBe(502);
    expect(await readProblem(failed)).toMatchObject({ type: "urn:edge-commerce:problem:payment_provider_error" });
    expect(await testDb().select().from(refunds).where(eq(refunds.orderId, order.id))).toEqual([
      expect.objectContaining({ status: "failed", amount: 2000 }),
    ]);
    expect((await orderRow(order.id)).status).toBe("paid");

    vi.restoreAllMocks();
    stubStripe(workingStripe);
    expect((await refund({ reason: "try", restock: false }, { key: "retry-me" })).status).toBe(202);
  });
});

describe("cancelling a paid order", () => {
  it("is refused with refund_required: the money goes back through a refund", async () => {
    const { admin, order } = await setup({ paid: true });
    const response = await admin.client.json(
      "POST",
      `/api/admin/orders/${order.id}/transition`,
      { to: "cancelled" },
      admin.tokens.access_token,
    );
    expect(response.status).toBe(409);
    expect(await readProblem(response)).toMatchObject({ type: "urn:edge-commerce:problem:refund_required" });
  });
});

describe("a payment of the wrong amount", () => {
  it("keeps the order out of expiry; the admin refunds what was taken, and the order ends refunded with its stock released", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 5, price_amount: 1000 });
    await addToCart(shopper, product.id, 2);
    const placed = (await (await placeOrderWith({ RESERVATION_TTL_SECONDS: "1" }, shopper)).json()) as OrderBody;
    const order = await orderRow(placed.id);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order, { amount: 1500 })));
    expect(await orderRow(order.id)).toMatchObject({ attention: "payment_mismatch", receivedAmount: 1500 });

    passTime(2);
    await runCron();
    expect((await orderRow(order.id)).status).toBe("awaiting_payment");

    const refund = (body: Record<string, unknown>) => requestRefund(admin, order.id, body);
    const tooMuch = await refund({ amount: 1501, reason: "wrong amount", restock: false });
    expect(tooMuch.status).toBe(422);
    expect(await readProblem(tooMuch)).toMatchObject({ refundable_amount: 1500 });
    const full = await refund({ reason: "wrong amount", restock: false });
    expect(full.status).toBe(202);
    expect(await full.json()).toMatchObject({ amount: 1500 });
    await vi.waitFor(
      async () => expect(await orderRow(order.id)).toMatchObject({ status: "refunded", refundedAmount: 1500 }),
      { timeout: 15_000, interval: 100 },
    );
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0 });
  });
});

describe("a refund the processor reports failed", () => {
  it("is recorded failed, and its amount can be refunded again", async () => {
    const calls = stubStripe(workingStripe);
    const { refund, order } = await setup({ paid: true, stripe: true });
    const first = await refund({ reason: "first try", restock: false });
    expect(first.status).toBe(202);
    const { provider_refund_id: providerRefundId } = (await first.json()) as { provider_refund_id: string };
    expect((await refund({ amount: 1, reason: "nothing left", restock: false })).status).toBe(422);

    await deliverAndSettle(
      stripeEvent("refund.failed", {
        id: providerRefundId,
        object: "refund",
        amount: 2000,
        currency: order.currency,
        status: "failed",
        payment_intent: order.paymentIntentId,
        metadata: { order_id: order.id },
      }),
    );
    const [row] = await testDb().select().from(refunds).where(eq(refunds.providerRefundId, providerRefundId));
    expect(row?.status).toBe("failed");
    expect((await refund({ reason: "second try", restock: false })).status).toBe(202);
    expect(calls.filter((call) => call.path === "/v1/refunds")).toHaveLength(2);
  });
});
