import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime, runCron } from "../support/clock";
import { failingStripe, orderRow, stripeJson, stubStripe, WITH_STRIPE, workingStripe } from "../support/payments";
import { addToCart, asShopper, type OrderBody, placeOrderWith, stockOf } from "../support/shopping";
import { callWorkerWith, readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function shopperWithCart(quantity = 2, stock = 5) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: stock, price_amount: 1250 });
  await addToCart(shopper, product.id, quantity);
  return { admin, shopper, product };
}

describe("checkout with Stripe", () => {
  it("creates one PaymentIntent per order: amount, currency, order id, automatic methods, keyed by the order", async () => {
    const calls = stubStripe(workingStripe);
    const { shopper } = await shopperWithCart(2);
    const response = await placeOrderWith(WITH_STRIPE, shopper);
    expect(response.status).toBe(201);
    const order = (await response.json()) as OrderBody;
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call).toMatchObject({
      method: "POST",
      path: "/v1/payment_intents",
      idempotencyKey: `payment-intent:${order.id}`,
      authorization: "Bearer sk_test_stub",
    });
    expect(Object.fromEntries(call?.form ?? [])).toEqual({
      amount: "2500",
      currency: order.currency,
      "metadata[order_id]": order.id,
      "automatic_payment_methods[enabled]": "true",
    });
    expect(order.payment).toMatchObject({ provider: "stripe", status: "requires_payment_method" });
    expect(order.payment?.client_secret).toMatch(/^pi_\w+_secret_/);
    expect(await orderRow(order.id)).toMatchObject({
      paymentIntentId: order.payment?.intent_id,
      paymentProvider: "stripe",
    });
  });

  it("a failing Stripe API: 502, nothing kept reserved, the order is payment_failed and never paid, the cart intact", async () => {
    const calls = stubStripe(failingStripe);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { shopper, product } = await shopperWithCart(2, 5);
    const response = await placeOrderWith(WITH_STRIPE, shopper, "stripe-down");
    expect(response.status).toBe(502);
    const problem = await readProblem(response);
    expect(problem).toMatchObject({ type: "urn:edge-commerce:problem:payment_provider_error", status: 502 });
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const [order] = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(order).toMatchObject({ status: "payment_failed", paymentIntentId: null });
    const cart = (await (await shopper.client.fetch("/api/cart", { token: shopper.token })).json()) as {
      items: unknown[];
    };
    expect(cart.items).toHaveLength(1);

    // Stripe is back: the same Idempotency-Key was freed, and the retry goes through.
    vi.restoreAllMocks();
    stubStripe(workingStripe);
    const retry = await placeOrderWith(WITH_STRIPE, shopper, "stripe-down");
    expect(retry.status).toBe(201);
  });

  it("a request Stripe refuses (an amount under its minimum) is a 422 with its reason; the stock goes back", async () => {
    stubStripe(() =>
      stripeJson(
        {
          error: {
            type: "invalid_request_error",
            code: "amount_too_small",
            param: "amount",
            message: "Amount must be at least $0.50 usd",
          },
        },
        400,
      ),
    );
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { shopper, product } = await shopperWithCart(1, 3);
    const response = await placeOrderWith(WITH_STRIPE, shopper);
    expect(response.status).toBe(422);
    expect(await readProblem(response)).toMatchObject({
      type: "urn:edge-commerce:problem:payment_rejected",
      detail: expect.stringContaining("Amount must be at least"),
    });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 3 });
  });

  it("Stripe unreachable (network error) is the same 502", async () => {
    stubStripe(() => {
      throw new TypeError("Network connection lost.");
    });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { shopper, product } = await shopperWithCart(1, 3);
    const response = await placeOrderWith(WITH_STRIPE, shopper);
    expect(response.status).toBe(502);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 3 });
  });
});

describe("cancelling PaymentIntents", () => {
  it("the expiry cron cancels the PaymentIntent of an order it expires", async () => {
    const calls = stubStripe(workingStripe);
    const { shopper } = await shopperWithCart(1);
    const placed = await placeOrderWith({ ...WITH_STRIPE, RESERVATION_TTL_SECONDS: "1" }, shopper);
    const order = (await placed.json()) as OrderBody;
    passTime(2);
    await runCron({ env: WITH_STRIPE });
    expect((await orderRow(order.id)).status).toBe("expired");
    expect(calls.filter((call) => call.path.endsWith("/cancel"))).toEqual([
      expect.objectContaining({
        path: `/v1/payment_intents/${order.payment?.intent_id}/cancel`,
        idempotencyKey: `cancel:${order.id}`,
      }),
    ]);
  });

  it("a customer's cancellation cancels the PaymentIntent too", async () => {
    const calls = stubStripe(workingStripe);
    const { shopper } = await shopperWithCart(1);
    const order = (await (await placeOrderWith(WITH_STRIPE, shopper)).json()) as OrderBody;
    const cancelled = await callWorkerWith(WITH_STRIPE, `/api/orders/${order.id}/cancel`, {
      method: "POST",
      headers: { Authorization: `Bearer ${shopper.token}`, "CF-Connecting-IP": shopper.client.ip },
    });
    expect(cancelled.status).toBe(200);
    expect(calls.map((call) => call.path)).toContain(`/v1/payment_intents/${order.payment?.intent_id}/cancel`);
  });
});
