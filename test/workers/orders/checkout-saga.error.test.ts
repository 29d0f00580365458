import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkoutSteps, prepareCheckout } from "../../../src/modules/orders/checkout";
import { ABANDONED_GRACE_SECONDS } from "../../../src/modules/orders/expiry";
import type { OrderServices } from "../../../src/modules/orders/services";
import { cartItems, carts, orders, productVariants } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { createProduct, setStock } from "../support/catalog";
import { passTime, runCron } from "../support/clock";
import { combined, failingCartClearing, failingStock, type PaymentCall, recordingPayments } from "../support/faults";
import { orderServices, sessionOf } from "../support/services";
import {
  ADDRESS,
  addToCart,
  addVariantToCart,
  asShopper,
  placeOrderWith,
  type Shopper,
  STANDARD_SHIPPING,
  stockOf,
} from "../support/shopping";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const ABANDONED_AFTER_SECONDS = (services: OrderServices) =>
  services.config.reservationTtlSeconds + ABANDONED_GRACE_SECONDS;

async function orderOf(orderId: string) {
  const [row] = await testDb().select().from(orders).where(eq(orders.id, orderId));
  return row;
}

async function cartSize(shopper: Shopper) {
  const rows = await testDb()
    .select({ id: cartItems.id })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(eq(carts.userId, shopper.id));
  return rows.length;
}

async function shopperWithCart() {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 5 });
  await addToCart(shopper, product.id, 2);
  return { admin, shopper, product };
}

describe("checkout is a saga", () => {
  it("has its four steps in order", () => {
    expect(checkoutSteps(orderServices()).map((step) => step.name)).toEqual([
      "snapshot_order",
      "reserve_stock",
      "create_payment",
      "await_payment",
    ]);
  });

  // A Worker that dies after step k ran steps 1..k and compensated nothing.
  for (const completed of [1, 2, 3, 4]) {
    it(`a Worker that dies after step ${completed} leaves nothing held past the TTL and no order stuck`, async () => {
      const services = orderServices();
      const { shopper, product } = await shopperWithCart();
      const state = await prepareCheckout(services, await sessionOf(services, shopper.token), {
        shipping_address: ADDRESS,
        shipping_method_id: STANDARD_SHIPPING,
      });
      for (const step of checkoutSteps(services).slice(0, completed)) await step.run(state);

      const held = await stockOf(product.variant_id).level();
      expect(held.reserved).toBe(completed >= 2 ? 2 : 0);
      // The cart keeps its lines until the last step, so the shopper can try again.
      expect(await cartSize(shopper)).toBe(completed === 4 ? 0 : 1);

      passTime(ABANDONED_AFTER_SECONDS(services) + 1);
      const cronCalls: PaymentCall[] = [];
      await runCron({ services: recordingPayments(cronCalls) });
      const order = await orderOf(state.orderId);
      expect(order?.status).toBe("expired");
      // The PaymentIntent is recorded on the order by the last step's write, so the cron cancels it from then on.
      // (A Worker that dies between creating it and that write leaves an intent no client ever received.)
      const cancelled = cronCalls.filter((call) => call.orderId === state.orderId).map((call) => call.method);
      expect(cancelled).toEqual(completed === 4 ? ["cancelPayment"] : []);
      expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0, available: 5 });

      // Idempotent: the next run finds nothing to do.
      await runCron();
      expect((await orderOf(state.orderId))?.status).toBe("expired");
    });
  }

  it("an order that may still be checking out (within the TTL and its grace) is left alone by the cron", async () => {
    const services = orderServices();
    const { shopper } = await shopperWithCart();
    const state = await prepareCheckout(services, await sessionOf(services, shopper.token), {
      shipping_address: ADDRESS,
      shipping_method_id: STANDARD_SHIPPING,
    });
    for (const step of checkoutSteps(services).slice(0, 2)) await step.run(state);
    passTime(ABANDONED_AFTER_SECONDS(services) - 1);
    await runCron();
    expect((await orderOf(state.orderId))?.status).toBe("pending");
  });

  it("a stock object that cannot be reached: the order is cancelled and nothing stays reserved", async () => {
    const { shopper, product } = await shopperWithCart();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await placeOrderWith({}, shopper, crypto.randomUUID(), failingStock("reserveAll"));
    expect(response.status).toBe(500);
    const [order] = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(order?.status).toBe("cancelled");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 5 });
    expect(await cartSize(shopper)).toBe(1);
  });

  it("a failure after the PaymentIntent exists: the intent is cancelled, the stock released, the order cancelled", async () => {
    const { shopper, product } = await shopperWithCart();
    const calls: PaymentCall[] = [];
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await placeOrderWith(
      {},
      shopper,
      crypto.randomUUID(),
      combined(recordingPayments(calls), failingCartClearing()),
    );
    expect(response.status).toBe(500);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:internal_error");
    expect(calls.map((call) => call.method)).toEqual(["createPayment", "cancelPayment"]);
    const [order] = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(order).toMatchObject({ status: "cancelled" });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 5 });
  });

  it("not enough stock: the order is rejected, no payment is asked for, nothing stays reserved", async () => {
    const { admin, shopper, product } = await shopperWithCart();
    await setStock(admin, product.variant_id, 1);
    const calls: PaymentCall[] = [];
    const response = await placeOrderWith({}, shopper, crypto.randomUUID(), recordingPayments(calls));
    expect(response.status).toBe(409);
    expect(calls).toEqual([]);
    const [order] = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(order?.status).toBe("rejected");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 1 });
  });

  // Checkout reads the cart, then writes the order one round trip later: what an admin changes in between is
  // refused by the write itself, never sold.
  for (const [change, act] of [
    ["repriced", (admin: Admin, variantId: string) => patchVariant(admin, variantId, { price_amount: 4321 })],
    ["taken off sale", (admin: Admin, variantId: string) => patchVariant(admin, variantId, { is_active: false })],
    ["deleted for good", (admin: Admin, variantId: string) => deleteVariant(admin, variantId)],
  ] as const) {
    it(`a variant ${change} after the cart was read: 409 cart_changed, no order, nothing reserved`, async () => {
      const services = orderServices();
      const admin = await signedInAdmin();
      const shopper = asShopper(await signedInUser());
      // Two variants, so that the one in the cart can be deleted (a product keeps one).
      const product = await createProduct(admin, {
        options: [{ name: "Size", values: ["S", "M"] }],
        variants: [
          { sku: unique("RACE-S-"), price_amount: 1200, initial_stock: 5, options: { Size: "S" } },
          { sku: unique("RACE-M-"), price_amount: 1200, initial_stock: 5, options: { Size: "M" } },
        ],
      });
      await addVariantToCart(shopper, product.variant_id, 2);
      const state = await prepareCheckout(services, await sessionOf(services, shopper.token), {
        shipping_address: ADDRESS,
        shipping_method_id: STANDARD_SHIPPING,
      });
      await act(admin, product.variant_id);
      const [snapshot] = checkoutSteps(services);
      const refusal = await snapshot?.run(state).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toMatchObject({ status: 409, code: "cart_changed" });
      expect(await orderOf(state.orderId)).toBeUndefined();
      expect((await stockOf(product.variant_id).level()).reserved).toBe(0);
    });
  }
});

type Admin = Awaited<ReturnType<typeof signedInAdmin>>;

async function patchVariant(admin: Admin, variantId: string, body: Record<string, unknown>) {
  const response = await admin.client.json(
    "PATCH",
    `/api/admin/variants/${variantId}`,
    body,
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(200);
}

async function deleteVariant(admin: Admin, variantId: string) {
  const response = await admin.client.fetch(`/api/admin/variants/${variantId}`, {
    method: "DELETE",
    token: admin.tokens.access_token,
  });
  expect(response.status, await response.clone().text()).toBe(204);
  // Deleted for good: no order line referred to it.
  expect(await testDb().select().from(productVariants).where(eq(productVariants.id, variantId))).toEqual([]);
}
