import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents, webhookEvents } from "../../src/db/schema";
import worker from "../../src/index";
import { minimalEvent } from "../../src/payments/events";
import { retryDelaySeconds } from "../../src/payments/queue-consumer";
import { signedInAdmin, signedInUser, testDb, unique } from "./support/accounts";
import { createProduct, setStock } from "./support/catalog";
import {
  failingStripe,
  intentOf,
  orderRow,
  settled,
  stripeEvent,
  stubStripe,
  WITH_STRIPE,
  workingStripe,
} from "./support/payments";
import { addToCart, asShopper, type OrderBody, placeOrder } from "./support/shopping";
import { readProblem } from "./support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

/** An event the webhook verified and recorded, whose queue message the test delivers itself. */
async function recordedEvent(type: string, object: Record<string, unknown>) {
  const event = stripeEvent(type, object);
  await testDb()
    .insert(webhookEvents)
    .values({
      id: event.id,
      type,
      payload: minimalEvent(event),
      receivedAt: new Date().toISOString(),
      status: "queued",
    });
  return event.id;
}

async function consume(queue: string, bodies: unknown[], attempts = 1, overrides: Record<string, string> = {}) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, index) => ({ id: `msg-${index}`, timestamp: new Date(), attempts, body })),
  );
  // The harness records that a message was retried, not with what delay: the calls say it.
  const retries = batch.messages.map((message) => vi.spyOn(message, "retry"));
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides } as Env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, delays: retries.flatMap((retry) => retry.mock.calls.map(([options]) => options?.delaySeconds)) };
}

async function eventRow(eventId: string) {
  const [row] = await testDb().select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return row;
}

/** A customer-cancelled order whose stock was then sold: its late payment must be refunded. */
async function lapsedOrderWithoutStock() {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 2 });
  await addToCart(shopper, product.id, 2);
  const placed = (await (await placeOrder(shopper)).json()) as OrderBody;
  await shopper.client.fetch(`/api/orders/${placed.id}/cancel`, { method: "POST", token: shopper.token });
  await setStock(admin, product.id, 0);
  return { admin, order: await orderRow(placed.id) };
}

describe("the payment-events consumer", () => {
  it("retries a failing event with growing delays, dead-letters it, and an admin replays it", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    stubStripe((call) => (call.path === "/v1/refunds" ? failingStripe() : workingStripe(call)));
    const { admin, order } = await lapsedOrderWithoutStock();
    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(order));

    const first = await consume("payment-events", [{ event_id: eventId }], 1, WITH_STRIPE);
    expect(first.retryMessages).toEqual([{ msgId: "msg-0" }]);
    expect(first.delays).toEqual([5]);
    expect(first.explicitAcks).toEqual([]);
    expect(await eventRow(eventId)).toMatchObject({
      status: "queued",
      attempts: 1,
      lastError: "creating the refund failed",
    });

    const second = await consume("payment-events", [{ event_id: eventId }], 2, WITH_STRIPE);
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

  it("retry delays start at 5 s, double, and stop at 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 80, 160, 300, 300]);
  });
});
