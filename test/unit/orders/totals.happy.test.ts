import { describe, expect, it } from "vitest";
import { lineAmount, subtotalAmount } from "../../../src/modules/orders/totals";

describe("order totals, in the smallest currency unit", () => {
  it("a line's amount is its unit price times its quantity", () => {
    expect(lineAmount(1250, 3)).toBe(3750);
    expect(lineAmount(999, 1)).toBe(999);
  });

  it("the subtotal is the sum of the lines' amounts", () => {
    expect(subtotalAmount([{ lineAmount: 3750 }, { lineAmount: 999 }, { lineAmount: 1 }])).toBe(4750);
    expect(subtotalAmount([{ lineAmount: 500 }])).toBe(500);
  });

  it("an order with no lines comes to zero", () => {
    expect(subtotalAmount([])).toBe(0);
  });
});
