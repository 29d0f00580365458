import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, orderEvents } from "../../../src/schema";
import { testDb } from "../support/accounts";
import {
  awaitingPayment,
  chargeOf,
  deliver,
  deliverAndSettle,
  intentOf,
  orderRow,
  settled,
  stripeEvent,
} from "../support/payments";
import { stockOf } from "../support/shopping";

async function transitionsTo(orderId: string, status: string) {
  return testDb()
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, status as "paid")));
}

async function audited(orderId: string, action: string) {
  return testDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, orderId), eq(auditEvents.action, action as "payment.succeeded")));
}

describe("each payment event has one effect", () => {
  it("the same event delivered again later is acknowledged as a duplicate and changes nothing", async () => {
    const { product, order } = await awaitingPayment(2, 5);
    const event = stripeEvent("payment_intent.succeeded", intentOf(order));
    await deliverAndSettle(event);
    const again = await deliver(event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    await settled([event.id]);
    expect(await transitionsTo(order.id, "paid")).toHaveLength(1);
    expect(await audited(order.id, "payment.succeeded")).toHaveLength(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("the same event delivered five times at once: one is new, one transition, stock committed once", async () => {
    const { product, order } = await awaitingPayment(2, 5);
    const event = stripeEvent("payment_intent.succeeded", intentOf(order));
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(event)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { duplicate: boolean }[];
    expect(bodies.filter((body) => !body.duplicate)).toHaveLength(1);
    await settled([event.id]);
    expect((await orderRow(order.id)).status).toBe("paid");
    expect(await transitionsTo(order.id, "paid")).toHaveLength(1);
    expect(await audited(order.id, "payment.succeeded")).toHaveLength(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("two different success events for one payment (a Stripe retry with a new id) still pay the order once", async () => {
    const { product, order } = await awaitingPayment(1, 5);
    const first = stripeEvent("payment_intent.succeeded", intentOf(order));
    const second = stripeEvent("payment_intent.succeeded", intentOf(order));
    await Promise.all([deliver(first), deliver(second)]);
    const rows = await settled([first.id, second.id]);
    expect(rows.map((row) => row.status).sort()).toEqual(["ignored", "processed"]);
    expect(await transitionsTo(order.id, "paid")).toHaveLength(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 4, reserved: 0 });
  });
});

describe("events out of order never move an order backwards", () => {
  it("a late payment_failed or canceled after succeeded changes nothing", async () => {
    const { product, order } = await awaitingPayment(2, 5);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order)));
    const failed = await deliverAndSettle(
      stripeEvent("payment_intent.payment_failed", intentOf(order, { status: "requires_payment_method" })),
    );
    const canceled = await deliverAndSettle(
      stripeEvent("payment_intent.canceled", intentOf(order, { status: "canceled" })),
    );
    expect([failed?.status, canceled?.status]).toEqual(["ignored", "ignored"]);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", paymentStatus: "succeeded" });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("a refund reported before the success it refunds is retried until the order is paid, then applied", async () => {
    const { order } = await awaitingPayment(1, 5);
    const refund = stripeEvent("charge.refunded", chargeOf(order, order.totalAmount));
    expect((await deliver(refund)).status).toBe(200);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order)));
    await settled([refund.id]);
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded", refundedAmount: order.totalAmount });
  }, 30_000);

  it("a second payment_failed is ignored: one transition", async () => {
    const { order } = await awaitingPayment(1, 5);
    await deliverAndSettle(
      stripeEvent("payment_intent.payment_failed", intentOf(order, { status: "requires_payment_method" })),
    );
    const again = await deliverAndSettle(
      stripeEvent("payment_intent.payment_failed", intentOf(order, { status: "requires_payment_method" })),
    );
    expect(again?.status).toBe("ignored");
    expect(await transitionsTo(order.id, "payment_failed")).toHaveLength(1);
  });
});

describe("a payment that does not match its order", () => {
  it("a different amount flags the order for an admin, keeps the stock reserved, and never makes it paid", async () => {
    const { product, order } = await awaitingPayment(2, 5);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order, { amount: order.totalAmount - 1 })));
    expect(await orderRow(order.id)).toMatchObject({ status: "awaiting_payment", attention: "payment_mismatch" });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 2 });
    const [audit] = await audited(order.id, "payment.mismatch");
    expect(audit?.details).toMatchObject({
      expected: { amount: order.totalAmount, currency: order.currency },
      received: { amount: order.totalAmount - 1 },
    });
  });

  it("a different currency is a mismatch too", async () => {
    const { order } = await awaitingPayment(1, 5);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order, { currency: "jpy" })));
    expect(await orderRow(order.id)).toMatchObject({ status: "awaiting_payment", attention: "payment_mismatch" });
  });

  it("admins find flagged orders by attention", async () => {
    const { admin, order } = await awaitingPayment(1, 5);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order, { amount: 1 })));
    const response = await admin.client.fetch(`/api/admin/orders?attention=payment_mismatch&user_id=${order.userId}`, {
      token: admin.tokens.access_token,
    });
    const page = (await response.json()) as { data: { id: string; attention: string }[] };
    expect(page.data).toEqual([expect.objectContaining({ id: order.id, attention: "payment_mismatch" })]);
  });

  it("a dispute flags the order", async () => {
    const { order } = await awaitingPayment(1, 5);
    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(order)));
    await deliverAndSettle(
      stripeEvent("charge.dispute.created", {
        id: "dp_test",
        object: "dispute",
        amount: order.totalAmount,
        currency: order.currency,
        payment_intent: order.paymentIntentId,
        reason: "fraudulent",
      }),
    );
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", attention: "disputed" });
    expect(await audited(order.id, "payment.disputed")).toHaveLength(1);
  });

  it("an event naming the order in its metadata but about another PaymentIntent is ignored", async () => {
    const { product, order } = await awaitingPayment(1, 5);
    const foreign = await deliverAndSettle(
      stripeEvent("payment_intent.succeeded", intentOf(order, { id: "pi_someone_elses_intent" })),
    );
    expect(foreign?.status).toBe("ignored");
    expect((await orderRow(order.id)).status).toBe("awaiting_payment");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 1 });
  });
});
