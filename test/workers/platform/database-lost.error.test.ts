import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ABANDONED_GRACE_SECONDS } from "../../../src/modules/orders/expiry";
import { IN_FLIGHT_LEASE_MS } from "../../../src/platform/http/idempotency";
import { orderEvents, orders, sessions, webhookEvents } from "../../../src/schema";
import { login, randomIp, registerAccount, signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime, runCron } from "../support/clock";
import {
  combined,
  cutAfter,
  DatabaseLink,
  databaseThrough,
  type PaymentCall,
  recordingPayments,
} from "../support/faults";
import { awaitingPayment, intentOf, orderRow, settled, signatureFor, stripeEvent } from "../support/payments";
import { orderServices } from "../support/services";
import { addToCart, asShopper, type OrderBody, placeOrder, placeOrderWith, stockOf } from "../support/shopping";
import { callWorkerWith, readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/**
 * What a client is told when the database goes away under its request: 503 database_unavailable with Retry-After,
 * the same as when it could not be reached at all (a write may have applied, which the detail says, and a retry with
 * the same Idempotency-Key is safe), and nothing internal.
 */
async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("Retry-After")).toBe("5");
  const problem = await readProblem(response);
  expect(problem).toMatchObject({ type: "urn:edge-commerce:problem:database_unavailable" });
  expect(problem.detail).toMatch(/Idempotency-Key/);
  expect(JSON.stringify(problem)).not.toMatch(/fetch failed|stopped answering|sql|select|insert/i);
}

describe("the database lost in the middle of a checkout", () => {
  it("after the stock was reserved: 503, the stock is given back, the intent cancelled, the cart kept; nothing is left stuck", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const admin = await signedInAdmin();
    const account = await signedInUser();
    const shopper = asShopper(account);
    const product = await createProduct(admin, { initial_stock: 5 });
    await addToCart(shopper, product.id, 2);
    const link = new DatabaseLink();
    const calls: PaymentCall[] = [];
    const key = crypto.randomUUID();

    const lost = await placeOrderWith(
      {},
      shopper,
      key,
      combined(databaseThrough(link), recordingPayments(calls), cutAfter(link, "stock", "reserveAll")),
    );
    await expectUnavailable(lost);

    // The order was snapshot before the database went; its compensation could not reach the database either.
    const [abandoned] = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(abandoned).toMatchObject({ status: "pending" });
    const orderId = abandoned?.id ?? "";
    // Every compensation that did not need the database ran: the stock is free and the intent cancelled.
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0 });
    expect(calls.map((call) => call.method)).toEqual(["createPayment", "cancelPayment"]);
    expect(calls.every((call) => call.orderId === orderId)).toBe(true);
    // Nothing the shopper chose was lost.
    const cart = (await (await shopper.client.fetch("/api/cart", { token: shopper.token })).json()) as {
      items: { product_id: string; quantity: number }[];
    };
    expect(cart.items).toEqual([expect.objectContaining({ product_id: product.id, quantity: 2 })]);

    // The key could not be freed: a retry at once is told the first attempt may still be running...
    const early = await placeOrder(shopper, key);
    expect(early.status).toBe(409);
    expect(early.headers.get("Retry-After")).toBe("1");
    expect((await readProblem(early)).type).toBe("urn:edge-commerce:problem:idempotency_key_in_flight");
    // ...and once no request can still be running, the same key places the order.
    passTime(IN_FLIGHT_LEASE_MS / 1000 + 1);
    const retried = await placeOrder({ ...shopper, token: (await login(account)).access_token }, key);
    expect(retried.status, await retried.clone().text()).toBe(201);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    expect(((await retried.json()) as OrderBody).id).not.toBe(orderId);

    // The abandoned order is ended by the cron; nothing stays reserved for it.
    passTime(orderServices().config.reservationTtlSeconds + ABANDONED_GRACE_SECONDS + 1);
    await runCron();
    expect(await orderRow(orderId)).toMatchObject({ status: "expired" });
    const [ended] = await testDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, "expired")));
    expect(ended?.reason).toBe("checkout_abandoned");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0 });
  });
});

describe("the database lost in the middle of a sign-in", () => {
  it("after the account was read: 503 without tokens, no session; the next sign-in works", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const account = await registerAccount();
    const link = new DatabaseLink();
    link.cutAfter(1);
    const lost = await callWorkerWith(
      {},
      "/api/auth/login",
      {
        method: "POST",
        headers: { "content-type": "application/json", "CF-Connecting-IP": account.client.ip },
        body: JSON.stringify({ username: account.username, password: account.password }),
      },
      databaseThrough(link),
    );
    await expectUnavailable(lost);
    expect(link.roundTrips).toBe(1);
    expect(await testDb().select().from(sessions).where(eq(sessions.userId, account.id))).toEqual([]);

    expect((await login(account)).access_token).toBeTruthy();
    expect(await testDb().select().from(sessions).where(eq(sessions.userId, account.id))).toHaveLength(1);
  });
});

describe("the database lost in the middle of a webhook", () => {
  async function deliverOver(link: DatabaseLink, payload: string) {
    return callWorkerWith(
      {},
      "/api/webhooks/stripe",
      {
        method: "POST",
        headers: { "content-type": "application/json", "Stripe-Signature": await signatureFor(payload) },
        body: payload,
      },
      databaseThrough(link),
    );
  }

  async function paidTransitions(orderId: string) {
    return testDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, "paid")));
  }

  it("before the event was recorded: 503, so Stripe delivers it again, and that delivery pays the order once", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { product, order } = await awaitingPayment();
    const event = stripeEvent("payment_intent.succeeded", intentOf(order));
    const payload = JSON.stringify(event);
    const link = new DatabaseLink();
    link.cut();
    await expectUnavailable(await deliverOver(link, payload));
    expect(await testDb().select().from(webhookEvents).where(eq(webhookEvents.id, event.id))).toEqual([]);

    const again = await deliverOver(new DatabaseLink(), payload);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: false });
    await settled([event.id]);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    expect(await paidTransitions(order.id)).toHaveLength(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("after it was recorded and queued: 200 (marking it queued waits for no one), the event pays the order, and Stripe's retry is a duplicate", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { product, order } = await awaitingPayment();
    const event = stripeEvent("payment_intent.succeeded", intentOf(order));
    const payload = JSON.stringify(event);
    const link = new DatabaseLink();
    link.cutAfter(1);
    const delivered = await deliverOver(link, payload);
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ received: true, duplicate: false });
    expect(errors.mock.calls.flat().join("\n")).toContain("payment_event_queued");

    await settled([event.id]);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    const again = await deliverOver(new DatabaseLink(), payload);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await paidTransitions(order.id)).toHaveLength(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });
});

describe("a proxy in front of the database that answers for it", () => {
  it.each([502, 503, 504])(
    "HTTP %i from it: 503 database_unavailable, not a 500, and its page goes nowhere",
    async (status) => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const link = new DatabaseLink();
      link.proxyAnswers(status);
      const response = await callWorkerWith(
        {},
        "/api/auth/login",
        {
          method: "POST",
          headers: { "content-type": "application/json", "CF-Connecting-IP": randomIp() },
          body: JSON.stringify({ username: "nobody", password: "correct horse battery staple" }),
        },
        databaseThrough(link),
      );
      await expectUnavailable(response.clone());
      expect(await response.text()).not.toMatch(/sqld-primary|upstream|refused/);
      const logged = errors.mock.calls.flat().join("\n");
      expect(logged).toContain("database_unavailable");
      expect(logged).toContain(String(status));
      expect(logged).not.toMatch(/sqld-primary|upstream|refused/);
    },
  );
});
