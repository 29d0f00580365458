import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkoutSteps, prepareCheckout, STALE_CHECKOUT_MS } from "../../../src/modules/orders/checkout";
import { orderEvents, orders } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime } from "../support/clock";
import { orderRow } from "../support/payments";
import { orderServices, sessionOf } from "../support/services";
import {
  ADDRESS,
  addToCart,
  type OrderBody,
  placeOrder,
  quickShoppers,
  type Shopper,
  STANDARD_SHIPPING,
  stockOf,
} from "../support/shopping";
import { type Problem, readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

const OPEN_ORDER_EXISTS = "urn:edge-commerce:problem:open_order_exists";

/** A new product with `stock` units and a new shopper. */
async function shopperAndProduct(stock: number) {
  const product = await createProduct(await signedInAdmin(), { initial_stock: stock });
  const [shopper] = await quickShoppers(1);
  if (!shopper) throw new Error("no shopper");
  return { product, shopper };
}

/** A checkout whose Worker died after reserving: its order stays pending and holds the cart's units. */
async function diedAfterReserving(shopper: Shopper) {
  const services = orderServices();
  const state = await prepareCheckout(services, await sessionOf(services, shopper.token), {
    shipping_address: ADDRESS,
    shipping_method_id: STANDARD_SHIPPING,
  });
  for (const step of checkoutSteps(services).slice(0, 2)) await step.run(state);
  return state.orderId;
}

describe("one shopper cannot hoard stock through parallel checkouts of one cart", () => {
  it("10 concurrent checkouts of one cart with 10 keys: one order, 9 × 409 naming it, the stock reserved once", async () => {
    const { product, shopper } = await shopperAndProduct(20);
    await addToCart(shopper, product.id, 2);

    const answers = await Promise.all(Array.from({ length: 10 }, () => placeOrder(shopper)));
    const placed = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(placed).toHaveLength(1);
    expect(refused).toHaveLength(9);
    const order = (await placed[0]?.json()) as OrderBody;
    for (const answer of refused) {
      const problem = (await readProblem(answer)) as Problem & { order_id: string | null };
      expect(problem.type).toBe(OPEN_ORDER_EXISTS);
      // Named, once the winner's order is written (it is, by the time a refusal reads it).
      expect(problem.order_id).toBe(order.id);
    }
    expect(await testDb().select().from(orders).where(eq(orders.userId, shopper.id))).toHaveLength(1);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 20, reserved: 2, available: 18 });
  });

  it("while an order awaits payment the next checkout is refused; once it is cancelled, the shopper can check out", async () => {
    const { product, shopper } = await shopperAndProduct(20);
    await addToCart(shopper, product.id, 2);
    const first = (await (await placeOrder(shopper)).json()) as OrderBody;
    await addToCart(shopper, product.id, 3);

    const second = await placeOrder(shopper);
    expect(second.status).toBe(409);
    expect(await readProblem(second)).toMatchObject({
      type: OPEN_ORDER_EXISTS,
      order_id: first.id,
      order_status: "awaiting_payment",
    });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 2 });

    const cancel = await shopper.client.fetch(`/api/orders/${first.id}/cancel`, {
      method: "POST",
      token: shopper.token,
    });
    expect(cancel.status).toBe(200);
    const third = await placeOrder(shopper);
    expect(third.status, await third.clone().text()).toBe(201);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 3 });
  });
});

describe("a checkout that died does not hold its shopper up for long", () => {
  it("its pending order blocks for 2 minutes; then the next checkout ends it, gives its stock back and goes on", async () => {
    const { product, shopper } = await shopperAndProduct(10);
    await addToCart(shopper, product.id, 2);
    const abandoned = await diedAfterReserving(shopper);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 2 });

    const early = await placeOrder(shopper);
    expect(await readProblem(early)).toMatchObject({
      type: OPEN_ORDER_EXISTS,
      order_id: abandoned,
      order_status: "pending",
    });

    passTime(STALE_CHECKOUT_MS / 1000 + 1);
    const later = await placeOrder(shopper);
    expect(later.status, await later.clone().text()).toBe(201);
    expect(await orderRow(abandoned)).toMatchObject({ status: "expired" });
    const [ended] = await testDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, abandoned), eq(orderEvents.toStatus, "expired")));
    expect(ended?.reason).toBe("checkout_abandoned");
    // Only the new order's units are held.
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 10, reserved: 2 });
  });

  it("5 concurrent checkouts after it went stale: it is ended once, one new order is made, 4 × 409 name that one", async () => {
    const { product, shopper } = await shopperAndProduct(10);
    await addToCart(shopper, product.id, 2);
    const abandoned = await diedAfterReserving(shopper);
    passTime(STALE_CHECKOUT_MS / 1000 + 1);

    const answers = await Promise.all(Array.from({ length: 5 }, () => placeOrder(shopper)));
    const placed = answers.filter((answer) => answer.status === 201);
    expect(placed).toHaveLength(1);
    const order = (await placed[0]?.json()) as OrderBody;
    for (const refused of answers.filter((answer) => answer.status !== 201)) {
      expect(await readProblem(refused)).toMatchObject({ type: OPEN_ORDER_EXISTS, order_id: order.id });
    }
    const ended = await testDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, abandoned), eq(orderEvents.toStatus, "expired")));
    expect(ended).toHaveLength(1);
    const rows = await testDb().select({ status: orders.status }).from(orders).where(eq(orders.userId, shopper.id));
    expect(rows.map((row) => row.status).sort()).toEqual(["awaiting_payment", "expired"]);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 10, reserved: 2 });
  });
});
