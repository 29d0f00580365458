import { describe, expect, it } from "vitest";
import { StockService } from "../../../src/modules/inventory/stock-service";
import { fakeStockNamespace } from "./fake-stock";

describe("StockService.reserveAll", () => {
  it("reserves every line, one product at a time in product-id order, whatever the order of the lines", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 5, prd_b: 5, prd_c: 5 });
    const result = await new StockService(namespace).reserveAll(
      "ord_1",
      [
        { productId: "prd_c", quantity: 1 },
        { productId: "prd_a", quantity: 2 },
        { productId: "prd_b", quantity: 3 },
      ],
      900,
    );
    expect(result).toEqual({ ok: true });
    expect(calls).toEqual([
      { op: "reserve", productId: "prd_a", orderId: "ord_1", quantity: 2, ttlSeconds: 900 },
      { op: "reserve", productId: "prd_b", orderId: "ord_1", quantity: 3, ttlSeconds: 900 },
      { op: "reserve", productId: "prd_c", orderId: "ord_1", quantity: 1, ttlSeconds: 900 },
    ]);
  });

  it("sorts by code unit, so ids differing in case or length still meet in one global order", async () => {
    const { namespace, calls } = fakeStockNamespace({ B: 1, a: 1, aa: 1, A: 1 });
    const lines = ["aa", "a", "B", "A"].map((productId) => ({ productId, quantity: 1 }));
    await new StockService(namespace).reserveAll("ord_2", lines, 60);
    expect(calls.map((call) => call.productId)).toEqual(["A", "B", "a", "aa"]);
  });

  it("does not reorder the caller's lines", async () => {
    const { namespace } = fakeStockNamespace({ prd_a: 1, prd_b: 1 });
    const lines = [
      { productId: "prd_b", quantity: 1 },
      { productId: "prd_a", quantity: 1 },
    ];
    await new StockService(namespace).reserveAll("ord_3", lines, 60);
    expect(lines.map((line) => line.productId)).toEqual(["prd_b", "prd_a"]);
  });
});
