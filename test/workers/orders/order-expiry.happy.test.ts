import { runDurableObjectAlarm } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime, runCron } from "../support/clock";
import { addToCart, asShopper, type OrderBody, placeOrderWith, stockOf } from "../support/shopping";

afterEach(() => {
  vi.useRealTimers();
});

async function checkoutWithShortReservation(seconds: number) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 5 });
  await addToCart(shopper, product.id, 2);
  const response = await placeOrderWith({ RESERVATION_TTL_SECONDS: String(seconds) }, shopper);
  expect(response.status).toBe(201);
  return { product, order: (await response.json()) as OrderBody };
}

async function statusOf(orderId: string) {
  const [row] = await testDb().select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return row?.status;
}

describe("unpaid orders expire and give their stock back", () => {
  it("the reservation alarm releases the stock, then the cron marks the order expired", async () => {
    const { product, order } = await checkoutWithShortReservation(60);
    expect((await stockOf(product.variant_id).level()).reserved).toBe(2);
    passTime(61);
    expect(await runDurableObjectAlarm(stockOf(product.variant_id))).toBe(true);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 5 });

    expect(await statusOf(order.id)).toBe("awaiting_payment");
    await runCron();
    expect(await statusOf(order.id)).toBe("expired");
    // Idempotent: running both again changes nothing.
    await runCron();
    await runDurableObjectAlarm(stockOf(product.variant_id));
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("the cron alone also releases the stock when it runs first", async () => {
    const { product, order } = await checkoutWithShortReservation(60);
    passTime(61);
    await runCron();
    expect(await statusOf(order.id)).toBe("expired");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 5 });
  });

  it("a reservation whose checkout never finished (the Worker died) is released by the alarm alone", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 3 });
    await stockOf(product.variant_id).reserve("ord_crashed_checkout", 3, 60);
    expect((await stockOf(product.variant_id).level()).available).toBe(0);
    passTime(61);
    expect(await runDurableObjectAlarm(stockOf(product.variant_id))).toBe(true);
    expect((await stockOf(product.variant_id).level()).available).toBe(3);
  });

  it("orders still within their time are left alone", async () => {
    const { order } = await checkoutWithShortReservation(600);
    await runCron();
    expect(await statusOf(order.id)).toBe("awaiting_payment");
  });
});
