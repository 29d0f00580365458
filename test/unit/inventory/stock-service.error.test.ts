import { describe, expect, it } from "vitest";
import { StockService } from "../../../src/modules/inventory/stock-service";
import { fakeStockNamespace } from "./fake-stock";

describe("StockService.reserveAll when a line is refused", () => {
  it("releases every line granted in the same round, only those, and reports every refused line", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 5, prd_b: 1, prd_c: 10, prd_d: 0 });
    const result = await new StockService(namespace).reserveAll(
      "ord_1",
      [
        { variantId: "prd_d", quantity: 1 },
        { variantId: "prd_c", quantity: 4 },
        { variantId: "prd_b", quantity: 2 },
        { variantId: "prd_a", quantity: 3 },
      ],
      900,
    );
    expect(result).toEqual({
      ok: false,
      shortages: [
        { variant_id: "prd_d", requested: 1, available: 0 },
        { variant_id: "prd_b", requested: 2, available: 1 },
      ],
    });
    const reserve = (variantId: string, quantity: number) => ({
      op: "reserve",
      variantId,
      orderId: "ord_1",
      quantity,
      ttlSeconds: 900,
    });
    expect(calls).toEqual([
      reserve("prd_d", 1),
      reserve("prd_c", 4),
      reserve("prd_b", 2),
      reserve("prd_a", 3),
      { op: "release", variantId: "prd_c", orderId: "ord_1" },
      { op: "release", variantId: "prd_a", orderId: "ord_1" },
    ]);
  });

  it("every line refused: nothing to release", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 0, prd_b: 1 });
    const lines = [
      { variantId: "prd_b", quantity: 3 },
      { variantId: "prd_a", quantity: 1 },
    ];
    const result = await new StockService(namespace).reserveAll("ord_2", lines, 60);
    expect(result).toEqual({
      ok: false,
      shortages: [
        { variant_id: "prd_b", requested: 3, available: 1 },
        { variant_id: "prd_a", requested: 1, available: 0 },
      ],
    });
    expect(calls.filter((call) => call.op === "release")).toEqual([]);
  });
});
