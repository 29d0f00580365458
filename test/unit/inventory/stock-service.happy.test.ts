import { describe, expect, it } from "vitest";
import { StockService } from "../../../src/modules/inventory/stock-service";
import { fakeStockNamespace } from "./fake-stock";

describe("StockService.reserveAll", () => {
  it("reserves every line at once, one call per product, and nothing more when all are granted", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 5, prd_b: 5, prd_c: 5 });
    const result = await new StockService(namespace).reserveAll(
      "ord_1",
      [
        { variantId: "prd_c", quantity: 1 },
        { variantId: "prd_a", quantity: 2 },
        { variantId: "prd_b", quantity: 3 },
      ],
      900,
    );
    expect(result).toEqual({ ok: true });
    expect(calls).toEqual([
      { op: "reserve", variantId: "prd_c", orderId: "ord_1", quantity: 1, ttlSeconds: 900 },
      { op: "reserve", variantId: "prd_a", orderId: "ord_1", quantity: 2, ttlSeconds: 900 },
      { op: "reserve", variantId: "prd_b", orderId: "ord_1", quantity: 3, ttlSeconds: 900 },
    ]);
  });

  it("sends every call before any answer arrives", async () => {
    const { namespace, calls } = fakeStockNamespace(
      { prd_a: 1, prd_b: 1 },
      { firstRound: ["ord_2:prd_a", "ord_2:prd_b"] },
    );
    const lines = ["prd_a", "prd_b"].map((variantId) => ({ variantId, quantity: 1 }));
    await expect(new StockService(namespace).reserveAll("ord_2", lines, 60)).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it("does not reorder the caller's lines", async () => {
    const { namespace } = fakeStockNamespace({ prd_a: 1, prd_b: 1 });
    const lines = [
      { variantId: "prd_b", quantity: 1 },
      { variantId: "prd_a", quantity: 1 },
    ];
    await new StockService(namespace).reserveAll("ord_3", lines, 60);
    expect(lines.map((line) => line.variantId)).toEqual(["prd_b", "prd_a"]);
  });
});
