import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { deliverAndSettle, intentOf, orderRow, settled, stripeEvent } from "../support/payments";
import { addToCart, asShopper, type OrderBody, placeOrder, type Shopper, stockOf } from "../support/shopping";
import { callWorkerWith } from "../support/worker";

const DEVELOPMENT = { ENVIRONMENT: "development" };

async function shopperWithOrder(quantity = 2, stock = 5) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: stock });
  await addToCart(shopper, product.id, quantity);
  const response = await placeOrder(shopper);
  expect(response.status).toBe(201);
  return { admin, shopper, product, order: (await response.json()) as OrderBody };
}

function drive(shopper: Shopper, orderId: string, outcome: "succeed" | "fail", overrides = DEVELOPMENT) {
  return callWorkerWith(overrides, `/api/dev/payments/${orderId}/${outcome}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${shopper.token}`, "CF-Connecting-IP": shopper.client.ip },
  });
}

describe("payments with the mock provider", () => {
  it("checkout answers with a mock PaymentIntent; `succeed` makes the order paid, commits the stock, empties the cart", async () => {
    const { shopper, product, order } = await shopperWithOrder(2, 5);
    expect(order.status).toBe("awaiting_payment");
    expect(order.payment).toMatchObject({ provider: "mock", status: "requires_payment_method" });
    expect(order.payment?.intent_id).toMatch(/^pi_mock_/);
    expect(order.payment?.client_secret).toMatch(new RegExp(`^${order.payment?.intent_id}_secret_`));
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 2 });

    const driven = await drive(shopper, order.id, "succeed");
    expect(driven.status).toBe(202);
    const { event_id: eventId } = (await driven.json()) as { event_id: string };
    const [event] = await settled([eventId]);
    expect(event).toMatchObject({ status: "processed", orderId: order.id, type: "payment_intent.succeeded" });

    const paid = await orderRow(order.id);
    expect(paid).toMatchObject({ status: "paid", paymentStatus: "succeeded" });
    expect(paid.paidAt).not.toBeNull();
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const cart = (await (await shopper.client.fetch("/api/cart", { token: shopper.token })).json()) as {
      items: unknown[];
    };
    expect(cart.items).toEqual([]);

    const payment = await shopper.client.fetch(`/api/orders/${order.id}/payment`, { token: shopper.token });
    expect(payment.status).toBe(200);
    expect(await payment.json()).toEqual({
      order_id: order.id,
      order_status: "paid",
      provider: "mock",
      intent_id: order.payment?.intent_id,
      status: "succeeded",
      amount: order.total_amount,
      refunded_amount: 0,
      currency: order.currency,
    });
    const audited = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "payment.succeeded"), eq(auditEvents.targetId, order.id)));
    expect(audited).toHaveLength(1);
  });

  it("`fail` makes the order payment_failed and releases its stock", async () => {
    const { shopper, product, order } = await shopperWithOrder(2, 5);
    const driven = await drive(shopper, order.id, "fail");
    expect(driven.status).toBe(202);
    await settled([((await driven.json()) as { event_id: string }).event_id]);
    expect(await orderRow(order.id)).toMatchObject({ status: "payment_failed", paymentStatus: "failed" });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
  });

  it("a signed Stripe event takes the same path: paid, stock committed", async () => {
    const { product, order } = await shopperWithOrder(1, 4);
    const row = await orderRow(order.id);
    const event = await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(row)));
    expect(event?.status).toBe("processed");
    expect((await orderRow(order.id)).status).toBe("paid");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("the payment of someone else's order is a 404, as is driving it", async () => {
    const { order } = await shopperWithOrder(1, 4);
    const mallory = asShopper(await signedInUser());
    expect((await mallory.client.fetch(`/api/orders/${order.id}/payment`, { token: mallory.token })).status).toBe(404);
    expect((await drive(mallory, order.id, "succeed")).status).toBe(404);
    expect((await orderRow(order.id)).status).toBe("awaiting_payment");
  });
});
