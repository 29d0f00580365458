import { describe, expect, it } from "vitest";
import { StockService } from "../../../src/modules/inventory/stock-service";
import { fakeStockNamespace } from "./fake-stock";

describe("StockService.reserveAll when a line is refused", () => {
  it("every line refused at once: no release, no second round, every line reported short", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 0, prd_b: 1 });
    const result = await new StockService(namespace).reserveAll(
      "ord_1",
      [
        { productId: "prd_b", quantity: 3 },
        { productId: "prd_a", quantity: 1 },
      ],
      60,
    );
    expect(result).toEqual({
      ok: false,
      shortages: [
        { product_id: "prd_b", requested: 3, available: 1 },
        { product_id: "prd_a", requested: 1, available: 0 },
      ],
    });
    expect(calls.map((call) => call.op)).toEqual(["reserve", "reserve"]);
  });

  it("some granted: releases them, then tries once more one product at a time in product-id order", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 5, prd_b: 1, prd_c: 10, prd_d: 0 });
    const result = await new StockService(namespace).reserveAll(
      "ord_2",
      [
        { productId: "prd_d", quantity: 1 },
        { productId: "prd_c", quantity: 4 },
        { productId: "prd_b", quantity: 2 },
        { productId: "prd_a", quantity: 3 },
      ],
      900,
    );
    expect(result).toEqual({
      ok: false,
      shortages: [
        { product_id: "prd_b", requested: 2, available: 1 },
        { product_id: "prd_d", requested: 1, available: 0 },
      ],
    });
    const reserve = (productId: string, quantity: number) => ({
      op: "reserve",
      productId,
      orderId: "ord_2",
      quantity,
      ttlSeconds: 900,
    });
    expect(calls).toEqual([
      // The parallel round: c and a granted, d and b refused; what was granted goes back.
      reserve("prd_d", 1),
      reserve("prd_c", 4),
      reserve("prd_b", 2),
      reserve("prd_a", 3),
      { op: "release", productId: "prd_c", orderId: "ord_2" },
      { op: "release", productId: "prd_a", orderId: "ord_2" },
      // The ordered round: a granted, b refused; c and d only looked at; then a released.
      reserve("prd_a", 3),
      reserve("prd_b", 2),
      { op: "level", productId: "prd_c" },
      { op: "level", productId: "prd_d" },
      { op: "release", productId: "prd_a", orderId: "ord_2" },
    ]);
  });

  it("two orders that each took one of two last units both release, and in product-id order one gets both", async () => {
    const { namespace } = fakeStockNamespace(
      { prd_a: 1, prd_b: 1 },
      {
        // Crossed: x takes the last b, y the last a, and each is refused the other.
        firstRound: ["ord_x:prd_b", "ord_y:prd_a", "ord_x:prd_a", "ord_y:prd_b"],
      },
    );
    const service = new StockService(namespace);
    const [x, y] = await Promise.all([
      service.reserveAll(
        "ord_x",
        [
          { productId: "prd_b", quantity: 1 },
          { productId: "prd_a", quantity: 1 },
        ],
        60,
      ),
      service.reserveAll(
        "ord_y",
        [
          { productId: "prd_a", quantity: 1 },
          { productId: "prd_b", quantity: 1 },
        ],
        60,
      ),
    ]);
    expect([x.ok, y.ok].sort()).toEqual([false, true]);
  });

  it("sorts the ordered round by code unit, so ids differing in case or length still meet in one global order", async () => {
    const { namespace, calls } = fakeStockNamespace({ B: 1, a: 1, aa: 0, A: 1 });
    const lines = ["aa", "a", "B", "A"].map((productId) => ({ productId, quantity: 1 }));
    await new StockService(namespace).reserveAll("ord_3", lines, 60);
    const secondRound = calls.slice(lines.length + 3).filter((call) => call.op === "reserve");
    expect(secondRound.map((call) => call.productId)).toEqual(["A", "B", "a", "aa"]);
  });
});
