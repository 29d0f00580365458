import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { minimalEvent } from "../../../src/modules/payments/events";
import { auditEvents, refunds, webhookEvents } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { createProduct, setStock } from "../support/catalog";
import { runCron } from "../support/clock";
import { failingStock } from "../support/faults";
import {
  chargeOf,
  consume,
  eventRow,
  failingStripe,
  intentOf,
  orderRow,
  paidOrder,
  recordedEvent,
  settled,
  stripeEvent,
  stubStripe,
  WITH_STRIPE,
  workingStripe,
} from "../support/payments";
import { addToCart, asShopper, type OrderBody, placeOrder, placeOrderWith, stockOf } from "../support/shopping";
import { callWorkerWith, readProblem } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

/** A customer-cancelled order whose stock was then sold: its late payment must be refunded. */
async function lapsedOrderWithoutStock() {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 2 });
  await addToCart(shopper, product.id, 2);
  const placed = (await (await placeOrder(shopper)).json()) as OrderBody;
  await shopper.client.fetch(`/api/orders/${placed.id}/cancel`, { method: "POST", token: shopper.token });
  await setStock(admin, product.variant_id, 0);
  return { admin, order: await orderRow(placed.id) };
}

describe("the payment-events consumer", () => {
  it("retries a failing event with growing delays, dead-letters it, and an admin replays it", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    stubStripe((call) => (call.path === "/v1/refunds" ? failingStripe() : workingStripe(call)));
    const { admin, order } = await lapsedOrderWithoutStock();
    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(order));

    // The deployed schedule (the suite's configuration retries at once, to keep real deliveries fast).
    const deployed = { ...WITH_STRIPE, PAYMENT_EVENT_RETRY_SECONDS: "5" };
    const first = await consume("payment-events", [{ event_id: eventId }], 1, deployed);
    expect(first.retryMessages).toEqual([{ msgId: "msg-0" }]);
    expect(first.delays).toEqual([5]);
    expect(first.explicitAcks).toEqual([]);
    expect(await eventRow(eventId)).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "creating the refund failed",
    });

    const second = await consume("payment-events", [{ event_id: eventId }], 2, deployed);
    expect(second.delays).toEqual([10]);
    expect((await orderRow(order.id)).status).toBe("cancelled");

    // Out of retries, the queue hands it to the dead-letter queue.
    const dead = await consume("payment-events-dlq", [{ event_id: eventId }]);
    expect(dead.explicitAcks).toEqual(["msg-0"]);
    expect(await eventRow(eventId)).toMatchObject({ status: "failed", attempts: 2 });

    const token = admin.tokens.access_token;
    const failed = (await (
      await admin.client.fetch("/api/admin/payments/events?status=failed&limit=100", { token })
    ).json()) as {
      data: { id: string; attempts: number; last_error: string; status: string }[];
    };
    expect(failed.data).toContainEqual(
      expect.objectContaining({ id: eventId, status: "failed", attempts: 2, last_error: "creating the refund failed" }),
    );

    // Stripe is fixed (here: the suite's mock provider); the replay goes through the real queue.
    const replay = await admin.client.fetch(`/api/admin/payments/events/${eventId}/replay`, { method: "POST", token });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ id: eventId, status: "queued" });
    await settled([eventId]);
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded", refundedAmount: order.totalAmount });
    const audited = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "payment_event.replayed"), eq(auditEvents.targetId, eventId)));
    expect(audited).toEqual([expect.objectContaining({ actorId: admin.id })]);

    const again = await admin.client.fetch(`/api/admin/payments/events/${eventId}/replay`, { method: "POST", token });
    expect(again.status).toBe(409);
    expect(await readProblem(again)).toMatchObject({ event_status: "processed" });
    const unknown = await admin.client.fetch(`/api/admin/payments/events/${unique("evt_")}/replay`, {
      method: "POST",
      token,
    });
    expect(unknown.status).toBe(404);
  }, 30_000);

  it("the same event in two deliveries at once is applied once", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 4 });
    await addToCart(shopper, product.id, 1);
    const placed = (await (await placeOrder(shopper)).json()) as OrderBody;
    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(await orderRow(placed.id)));
    const results = await Promise.all([
      consume("payment-events", [{ event_id: eventId }]),
      consume("payment-events", [{ event_id: eventId }]),
    ]);
    expect((await orderRow(placed.id)).status).toBe("paid");
    expect(await eventRow(eventId)).toMatchObject({ status: "processed", attempts: 1 });
    // One applied it; the other found it done (acknowledged) or in progress (retried after the lease).
    for (const result of results) expect(result.explicitAcks.length + result.retryMessages.length).toBe(1);
  });

  it("a message without an event id, or with an unknown one, is acknowledged and dropped", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await consume("payment-events", [{}, { event_id: 42 }, null, { event_id: unique("evt_") }]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1", "msg-2", "msg-3"]);
    expect(result.retryMessages).toEqual([]);
    expect(errors).toHaveBeenCalled();
  });

  it("a refund whose restock failed half-way is restocked and confirmed when the event is retried", async () => {
    stubStripe(workingStripe);
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 6 });
    await addToCart(shopper, product.id, 2);
    const order = await paidOrder(shopper, await placeOrderWith(WITH_STRIPE, shopper));
    // With Stripe, the refund's confirmation is an event of its own: here it is delivered by hand.
    const requested = await callWorkerWith(WITH_STRIPE, `/api/admin/orders/${order.id}/refund`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${admin.tokens.access_token}`,
        "content-type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      },
      body: JSON.stringify({ reason: "returned", restock: true }),
    });
    expect(requested.status).toBe(202);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 4 });

    const eventId = await recordedEvent("charge.refunded", chargeOf(order, order.totalAmount));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const first = await consume("payment-events", [{ event_id: eventId }], 1, {}, failingStock("restockAll"));
    expect(first.retryMessages).toEqual([{ msgId: "msg-0" }]);
    expect((await orderRow(order.id)).status).toBe("refunded");

    const second = await consume("payment-events", [{ event_id: eventId }], 2);
    expect(second.explicitAcks).toEqual(["msg-0"]);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 6, reserved: 0 });
    const [refund] = await testDb().select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(refund?.status).toBe("succeeded");
  });

  it("refund totals arriving out of order, at the same time, never make the refunded amount go down", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 6, price_amount: 1000 });
    await addToCart(shopper, product.id, 3);
    const order = await paidOrder(shopper, await placeOrder(shopper));
    const larger = await recordedEvent("charge.refunded", chargeOf(order, 1500));
    const smaller = await recordedEvent("charge.refunded", chargeOf(order, 1000));
    await Promise.all([
      consume("payment-events", [{ event_id: larger }]),
      consume("payment-events", [{ event_id: smaller }]),
    ]);
    expect(await orderRow(order.id)).toMatchObject({ status: "partially_refunded", refundedAmount: 1500 });
  });

  it("the cron queues again events whose message was lost, and a lapsed claim can be replayed", async () => {
    const orphan = stripeEvent("customer.created", { id: unique("cus_"), object: "customer" });
    const abandoned = stripeEvent("customer.created", { id: unique("cus_"), object: "customer" });
    const forgotten = stripeEvent("customer.created", { id: unique("cus_"), object: "customer" });
    const longAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    await testDb()
      .insert(webhookEvents)
      .values([
        { id: orphan.id, type: orphan.type, payload: minimalEvent(orphan), receivedAt: longAgo, status: "received" },
        {
          id: abandoned.id,
          type: abandoned.type,
          payload: minimalEvent(abandoned),
          receivedAt: longAgo,
          status: "processing",
          attempts: 1,
          leaseUntil: new Date(Date.now() - 1000).toISOString(),
        },
        {
          id: forgotten.id,
          type: forgotten.type,
          payload: minimalEvent(forgotten),
          receivedAt: longAgo,
          status: "queued",
          leaseUntil: new Date(Date.now() - 1000).toISOString(),
        },
      ]);
    await runCron();
    const rows = await settled([orphan.id, abandoned.id, forgotten.id]);
    expect(rows.map((row) => row.status)).toEqual(["ignored", "ignored", "ignored"]);

    const admin = await signedInAdmin();
    const stuck = stripeEvent("customer.created", { id: unique("cus_"), object: "customer" });
    await testDb()
      .insert(webhookEvents)
      .values({
        id: stuck.id,
        type: stuck.type,
        payload: minimalEvent(stuck),
        receivedAt: longAgo,
        status: "processing",
        leaseUntil: new Date(Date.now() - 1000).toISOString(),
      });
    const replay = await admin.client.fetch(`/api/admin/payments/events/${stuck.id}/replay`, {
      method: "POST",
      token: admin.tokens.access_token,
    });
    expect(replay.status).toBe(202);
    await settled([stuck.id]);
  });
});
