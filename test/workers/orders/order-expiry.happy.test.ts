import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../../src";
import { orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { addToCart, asShopper, type OrderBody, placeOrderWith, stockOf } from "../support/shopping";

afterEach(() => {
  vi.useRealTimers();
});

/** Moves the clock (of the tests, the Worker and its Durable Objects, which share the isolate) past the reservation. */
function passTime(seconds: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + seconds * 1000);
}

async function runCron(at = Date.now()) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

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
    expect((await stockOf(product.id).level()).reserved).toBe(2);
    passTime(61);
    expect(await runDurableObjectAlarm(stockOf(product.id))).toBe(true);
    expect(await stockOf(product.id).level()).toMatchObject({ reserved: 0, available: 5 });

    expect(await statusOf(order.id)).toBe("awaiting_payment");
    await runCron();
    expect(await statusOf(order.id)).toBe("expired");
    // Idempotent: running both again changes nothing.
    await runCron();
    await runDurableObjectAlarm(stockOf(product.id));
    expect(await stockOf(product.id).level()).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("the cron alone also releases the stock when it runs first", async () => {
    const { product, order } = await checkoutWithShortReservation(60);
    passTime(61);
    await runCron();
    expect(await statusOf(order.id)).toBe("expired");
    expect(await stockOf(product.id).level()).toMatchObject({ reserved: 0, available: 5 });
  });

  it("a reservation whose checkout never finished (the Worker died) is released by the alarm alone", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 3 });
    await stockOf(product.id).reserve("ord_crashed_checkout", 3, 60);
    expect((await stockOf(product.id).level()).available).toBe(0);
    passTime(61);
    expect(await runDurableObjectAlarm(stockOf(product.id))).toBe(true);
    expect((await stockOf(product.id).level()).available).toBe(3);
  });

  it("orders still within their time are left alone", async () => {
    const { order } = await checkoutWithShortReservation(600);
    await runCron();
    expect(await statusOf(order.id)).toBe("awaiting_payment");
  });
});
