import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { refunds } from "../../src/db/schema";
import { signedInAdmin, signedInUser, testDb } from "./support/accounts";
import { createProduct } from "./support/catalog";
import { failingStripe, orderRow, paidOrder, stubStripe, WITH_STRIPE, workingStripe } from "./support/payments";
import { addToCart, asShopper, type OrderBody, placeOrder, placeOrderWith } from "./support/shopping";
import { callWorkerWith, readProblem } from "./support/worker";

afterEach(() => {
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
