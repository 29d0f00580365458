import { describe, expect, it } from "vitest";
import { StockService } from "../../../src/modules/inventory/stock-service";
import { fakeStockNamespace } from "./fake-stock";

describe("StockService.reserveAll when a line is refused", () => {
  it("stops at the first refusal, releases what it reserved, and reports every short line", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 5, prd_b: 1, prd_c: 10, prd_d: 0 });
    const result = await new StockService(namespace).reserveAll(
      "ord_1",
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
    // prd_a reserved, prd_b refused; prd_c and prd_d only looked at; then prd_a released.
    expect(calls).toEqual([
      { op: "reserve", productId: "prd_a", orderId: "ord_1", quantity: 3, ttlSeconds: 900 },
      { op: "reserve", productId: "prd_b", orderId: "ord_1", quantity: 2, ttlSeconds: 900 },
      { op: "level", productId: "prd_c" },
      { op: "level", productId: "prd_d" },
      { op: "release", productId: "prd_a", orderId: "ord_1" },
    ]);
  });

  it("a refused first line releases nothing", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 0, prd_b: 3 });
    const result = await new StockService(namespace).reserveAll(
      "ord_2",
      [
        { productId: "prd_b", quantity: 3 },
        { productId: "prd_a", quantity: 1 },
      ],
      60,
    );
    expect(result).toEqual({ ok: false, shortages: [{ product_id: "prd_a", requested: 1, available: 0 }] });
    expect(calls.filter((call) => call.op === "release")).toEqual([]);
    expect(calls.filter((call) => call.op === "reserve").map((call) => call.productId)).toEqual(["prd_a"]);
  });

  it("releases every line reserved before the refusal, and only those", async () => {
    const { namespace, calls } = fakeStockNamespace({ prd_a: 1, prd_b: 1, prd_c: 0, prd_d: 9 });
    const lines = ["prd_d", "prd_c", "prd_b", "prd_a"].map((productId) => ({ productId, quantity: 1 }));
    const result = await new StockService(namespace).reserveAll("ord_3", lines, 60);
    expect(result.ok).toBe(false);
    const released = calls.filter((call) => call.op === "release");
    expect(released.map((call) => call.productId).sort()).toEqual(["prd_a", "prd_b"]);
    expect(released.every((call) => call.orderId === "ord_3")).toBe(true);
  });
});
