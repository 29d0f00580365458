import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseRefuses } from "../support/faults";
import {
  awaitingPayment,
  consume,
  deliver,
  eventRow,
  intentOf,
  orderRow,
  recordedEvent,
  settled,
  stripeEvent,
} from "../support/payments";
import { stockOf } from "../support/shopping";

afterEach(() => {
  vi.restoreAllMocks();
});

/** wrangler.toml: `max_retries = 5` on the payment-events consumer, so six deliveries before the dead-letter queue. */
const DELIVERIES_BEFORE_DEAD_LETTER = 6;

describe("the payment-events queue, as configured", () => {
  it("an event that keeps failing is retried by the queue, dead-lettered, marked failed, and replayed once fixed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { admin, product, order } = await awaitingPayment();
    const refusal = await databaseRefuses({ table: "orders", on: "update", column: "id", value: order.id });
    const event = stripeEvent("payment_intent.succeeded", intentOf(order));
    try {
      expect((await deliver(event)).status).toBe(200);
      // The real queue: each failure is retried (the suite's PAYMENT_EVENT_RETRY_SECONDS is 0), then the
      // dead-letter queue's consumer records the failure.
      const [failed] = await settled([event.id], ["failed"]);
      expect(failed).toMatchObject({ status: "failed", attempts: DELIVERIES_BEFORE_DEAD_LETTER });
      expect(failed?.lastError).toBeTruthy();
      expect((await orderRow(order.id)).status).toBe("awaiting_payment");
    } finally {
      await refusal.lift();
    }

    const replay = await admin.client.fetch(`/api/admin/payments/events/${event.id}/replay`, {
      method: "POST",
      token: admin.tokens.access_token,
    });
    expect(replay.status).toBe(202);
    await settled([event.id]);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", paymentStatus: "succeeded" });
    // The stock was committed on the first attempt and never again.
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await eventRow(event.id)).toMatchObject({
      status: "processed",
      attempts: DELIVERIES_BEFORE_DEAD_LETTER + 1,
    });
  }, 40_000);

  it("with an invalid configuration every message of the batch waits a minute and nothing is processed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { order } = await awaitingPayment();
    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(order));

    const broken = await consume("payment-events", [{ event_id: eventId }, { event_id: eventId }], 1, {
      JWT_SECRET: "too-short",
    });
    expect(broken.retryBatch.retry).toBe(true);
    expect(broken.batchDelays).toEqual([60]);
    expect(broken.explicitAcks).toEqual([]);
    expect(await eventRow(eventId)).toMatchObject({ status: "queued", attempts: 0 });
    expect((await orderRow(order.id)).status).toBe("awaiting_payment");

    const fixed = await consume("payment-events", [{ event_id: eventId }]);
    expect(fixed.retryBatch.retry).toBe(false);
    expect(fixed.explicitAcks).toEqual(["msg-0"]);
    expect((await orderRow(order.id)).status).toBe("paid");
  });
});
