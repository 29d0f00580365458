import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { transitionOrder } from "../../../src/modules/orders/status";
import { orderEvents } from "../../../src/schema";
import { testDb } from "../support/accounts";
import { awaitingPayment } from "../support/payments";
import { markPaid } from "../support/shopping";

async function eventsOf(orderId: string) {
  const rows = await testDb().select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
  return rows.map((event) => `${event.fromStatus}→${event.toStatus}`);
}

describe("transitionOrder moves an order once, in one round trip", () => {
  it("into a status it may also keep (a further partial refund): one move, one event, from where it was", async () => {
    const { order } = await awaitingPayment();
    await markPaid(order.id);
    const db = testDb();
    const moved = await transitionOrder(db, order.id, "partially_refunded", {
      actor: "system",
      from: ["paid", "partially_refunded"],
      set: { refundedAmount: 100 },
    });
    expect(moved).toMatchObject({ ok: true, from: "paid", order: { status: "partially_refunded" } });
    expect((await eventsOf(order.id)).filter((event) => event.endsWith("→partially_refunded"))).toEqual([
      "paid→partially_refunded",
    ]);

    const again = await transitionOrder(db, order.id, "partially_refunded", {
      actor: "system",
      set: { refundedAmount: 200 },
    });
    expect(again).toMatchObject({ ok: true, from: "partially_refunded" });
    expect((await eventsOf(order.id)).filter((event) => event.endsWith("→partially_refunded"))).toHaveLength(2);
  });

  it("a move the table does not allow changes nothing and names the status the order has", async () => {
    const { order } = await awaitingPayment();
    const db = testDb();
    const before = await eventsOf(order.id);
    expect(await transitionOrder(db, order.id, "shipped", { actor: "admin" })).toEqual({
      ok: false,
      current: "awaiting_payment",
    });
    expect(await eventsOf(order.id)).toEqual(before);
    expect(await transitionOrder(db, "ord_missing", "paid", { actor: "system" })).toEqual({ ok: false, current: null });
  });
});
