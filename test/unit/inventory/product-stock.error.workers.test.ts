import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProductStock } from "../../../src/modules/inventory/product-stock";
import { freshStock, internals } from "./product-stock-fixture";

describe("ProductStock refuses what it cannot do", () => {
  it("refuses a reservation beyond what is available, holds nothing, and remembers the refusal", async () => {
    const { stub } = await freshStock(3);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      await stock.reserve("ord_first", 2, 900);
      expect(await stock.reserve("ord_big", 2, 900)).toEqual({
        ok: false,
        state: "refused",
        quantity: 2,
        available: 1,
        expiresAt: null,
      });
      expect(db.stock()).toEqual({ on_hand: 3, reserved: 2 });
      expect(db.reservations()).toEqual([{ order_id: "ord_first", quantity: 2 }]);
      expect(db.settled("ord_big")).toEqual({ outcome: "refused", quantity: 2 });
      // Exactly what is available is granted.
      expect(await stock.reserve("ord_exact", 1, 900)).toMatchObject({ ok: true, available: 0 });
      expect(await stock.reserve("ord_more", 1, 900)).toMatchObject({ ok: false, state: "refused", available: 0 });
    });
  });

  it("a commit after a release is refused: the stock went back, it cannot be sold", async () => {
    const { stub } = await freshStock(10);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      await stock.reserve("ord_rc", 4, 900);
      await stock.release("ord_rc");
      expect(await stock.commit("ord_rc")).toMatchObject({ ok: false, state: "released", available: 10 });
      expect(db.stock()).toEqual({ on_hand: 10, reserved: 0 });
      expect(db.settled("ord_rc")).toEqual({ outcome: "released", quantity: 4 });
      // Nor can the same order reserve again: a replay answers the release.
      expect(await stock.reserve("ord_rc", 4, 900)).toMatchObject({ ok: true, state: "released" });
      expect(db.reservations()).toEqual([]);
    });
  });

  it("a release after a commit is refused: what was sold stays sold", async () => {
    const { stub } = await freshStock(10);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      await stock.reserve("ord_cr", 4, 900);
      await stock.commit("ord_cr");
      expect(await stock.release("ord_cr")).toMatchObject({ ok: false, state: "committed" });
      expect(db.stock()).toEqual({ on_hand: 6, reserved: 0 });
    });
  });

  it("commit or release of an order it never saw is unknown, and changes nothing", async () => {
    const { stub } = await freshStock(5);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      const db = internals(state);
      expect(await stock.commit("ord_none")).toMatchObject({ ok: false, state: "unknown", quantity: 0 });
      expect(await stock.release("ord_none")).toMatchObject({ ok: false, state: "unknown", quantity: 0 });
      expect(db.stock()).toEqual({ on_hand: 5, reserved: 0 });
    });
  });

  it("rejects quantities and TTLs that are not positive integers", async () => {
    const { stub } = await freshStock(5);
    await runInDurableObject(stub, async (stock: ProductStock, state) => {
      await expect(stock.reserve("ord_q", 0, 900)).rejects.toThrow(RangeError);
      await expect(stock.reserve("ord_q", 1.5, 900)).rejects.toThrow(RangeError);
      await expect(stock.reserve("ord_q", 1, 0)).rejects.toThrow(RangeError);
      expect(internals(state).reservations()).toEqual([]);
    });
  });
});
