import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProductStock } from "../../../src/modules/inventory/product-stock";
import { freshStock, internals } from "./product-stock-fixture";

describe("ProductStock, from inside the object", () => {
  it("a reservation holds stock: a reservations row, reserved up, available down, one movement", async () => {
    const { stub } = await freshStock(10);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      expect(await stock.reserve("ord_a", 3, 900)).toMatchObject({ ok: true, state: "reserved", available: 7 });
      expect(db.stock()).toEqual({ on_hand: 10, reserved: 3 });
      expect(db.reservations()).toEqual([{ order_id: "ord_a", quantity: 3 }]);
      expect(db.movements().at(-1)).toEqual({
        reason: "reserve",
        on_hand_delta: 0,
        reserved_delta: 3,
        order_id: "ord_a",
      });
      expect(await stock.level()).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    });
  });

  it("reserve is idempotent by order id: a replay answers the first grant and changes nothing", async () => {
    const { stub } = await freshStock(5);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      const first = await stock.reserve("ord_r", 2, 900);
      const movements = db.movements().length;
      // Same order, even asking for more: the first answer, the same expiry.
      expect(await stock.reserve("ord_r", 4, 900)).toMatchObject({
        ok: true,
        state: "reserved",
        quantity: 2,
        expiresAt: first.expiresAt,
      });
      expect(await stock.reserve("ord_r", 2, 900)).toMatchObject({ ok: true, quantity: 2 });
      expect(db.stock()).toEqual({ on_hand: 5, reserved: 2 });
      expect(db.reservations()).toEqual([{ order_id: "ord_r", quantity: 2 }]);
      expect(db.movements()).toHaveLength(movements);
    });
  });

  it("commit turns the reservation into a sale: on hand and reserved both drop, settled as committed", async () => {
    const { stub } = await freshStock(10);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      await stock.reserve("ord_c", 4, 900);
      expect(await stock.commit("ord_c")).toMatchObject({ ok: true, state: "committed", available: 6 });
      expect(db.stock()).toEqual({ on_hand: 6, reserved: 0 });
      expect(db.reservations()).toEqual([]);
      expect(db.settled("ord_c")).toEqual({ outcome: "committed", quantity: 4 });
      // A replayed commit is fine and changes nothing.
      expect(await stock.commit("ord_c")).toMatchObject({ ok: true, state: "committed" });
      expect(db.stock()).toEqual({ on_hand: 6, reserved: 0 });
    });
  });

  it("release gives the stock back; releasing again is fine", async () => {
    const { stub } = await freshStock(10);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      await stock.reserve("ord_l", 4, 900);
      expect(await stock.release("ord_l")).toMatchObject({ ok: true, state: "released", available: 10 });
      expect(db.stock()).toEqual({ on_hand: 10, reserved: 0 });
      expect(db.reservations()).toEqual([]);
      expect(db.settled("ord_l")).toEqual({ outcome: "released", quantity: 4 });
      expect(await stock.release("ord_l")).toMatchObject({ ok: true, state: "released" });
      expect(db.stock()).toEqual({ on_hand: 10, reserved: 0 });
    });
  });
});
