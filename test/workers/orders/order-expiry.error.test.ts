import { runDurableObjectAlarm } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { expireOverdueOrders } from "../../../src/modules/orders/expiry";
import { orders } from "../../../src/schema";
import type { ServiceOverrides } from "../../../src/services";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime } from "../support/clock";
import { databaseRefuses, failingStock } from "../support/faults";
import { orderServices } from "../support/services";
import { addToCart, asShopper, type OrderBody, placeOrder, stockOf } from "../support/shopping";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/**
 * Orders awaiting payment, one product each, backdated to the first seconds of 2000 in the order given: they are
 * the oldest overdue orders in the database, so a sweep at `SWEEP_AT` sees them first and sees nothing else.
 */
async function overdueOrders(count: number) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const placed: { order: OrderBody; variantId: string }[] = [];
  for (let index = 0; index < count; index++) {
    const product = await createProduct(admin, { initial_stock: 5 });
    await addToCart(shopper, product.id, 1);
    const response = await placeOrder(shopper);
    expect(response.status).toBe(201);
    const order = (await response.json()) as OrderBody;
    placed.push({ order, variantId: product.variant_id });
    // Backdated before the next checkout, which it no longer holds up: its payment deadline has passed.
    const at = new Date(Date.UTC(2000, 0, 1, 0, 0, index + 1)).toISOString();
    await testDb().update(orders).set({ createdAt: at, expiresAt: at }).where(eq(orders.id, order.id));
  }
  return placed;
}

const SWEEP_AT = new Date("2000-01-01T01:00:00Z");

function sweep(options: { batch?: number; services?: ServiceOverrides } = {}) {
  return expireOverdueOrders({ ...orderServices(options.services), clock: { now: () => SWEEP_AT } }, options);
}

async function statusOf(orderId: string) {
  const [row] = await testDb().select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return row?.status;
}

describe("the cron's sweep of overdue orders", () => {
  it("ends at most one batch per run, oldest first; the next run ends the rest and gives their stock back", async () => {
    const placed = await overdueOrders(3);
    expect(await sweep({ batch: 2 })).toBe(2);
    expect(await Promise.all(placed.map(({ order }) => statusOf(order.id)))).toEqual([
      "expired",
      "expired",
      "awaiting_payment",
    ]);
    const last = placed[2];
    if (!last) throw new Error("three orders were placed");
    expect(await stockOf(last.variantId).level()).toMatchObject({ reserved: 1 });

    expect(await sweep({ batch: 2 })).toBe(1);
    expect(await statusOf(last.order.id)).toBe("expired");
    for (const { variantId } of placed) {
      expect(await stockOf(variantId).level()).toMatchObject({ onHand: 5, reserved: 0 });
    }
  });

  it("an order the database will not move is logged and skipped; the others end, and the next run ends it", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [stuck, other] = await overdueOrders(2);
    if (!stuck || !other) throw new Error("two orders were placed");
    const refusal = await databaseRefuses({ table: "orders", on: "update", column: "id", value: stuck.order.id });
    try {
      expect(await sweep()).toBe(1);
    } finally {
      await refusal.lift();
    }
    expect(await statusOf(stuck.order.id)).toBe("awaiting_payment");
    expect(await statusOf(other.order.id)).toBe("expired");
    expect(await stockOf(stuck.variantId).level()).toMatchObject({ reserved: 1 });
    const failures = errors.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(failures).toContainEqual(
      expect.objectContaining({ event: "order_expiry_failed", order_id: stuck.order.id }),
    );

    expect(await sweep()).toBe(1);
    expect(await statusOf(stuck.order.id)).toBe("expired");
    expect(await stockOf(stuck.variantId).level()).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("a stock object that cannot be reached does not stop the sweep: the order ends, and the alarm frees its stock", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [unreachable, other] = await overdueOrders(2);
    if (!unreachable || !other) throw new Error("two orders were placed");
    expect(await sweep({ services: failingStock("releaseAll") })).toBe(2);
    expect(await statusOf(unreachable.order.id)).toBe("expired");
    expect(await stockOf(unreachable.variantId).level()).toMatchObject({ reserved: 1 });
    expect(await stockOf(other.variantId).level()).toMatchObject({ reserved: 0 });

    // The reservation was taken with the default TTL: once it lapses, the object's own alarm gives it back.
    passTime(orderServices().config.reservationTtlSeconds + 1);
    expect(await runDurableObjectAlarm(stockOf(unreachable.variantId))).toBe(true);
    expect(await stockOf(unreachable.variantId).level()).toMatchObject({ onHand: 5, reserved: 0 });
  });
});
