import { describe, expect, it } from "vitest";
import {
  type PricingDiscount,
  type PricingInput,
  type PricingLine,
  type PricingShipping,
  priceOrder,
  refundedTaxFor,
} from "../../../src/modules/pricing";
import { allocate, divideRoundingHalfUp, type PricedLine, taxOf } from "../../../src/modules/pricing/totals";

function line(id: string, unitPriceAmount: number, quantity: number, extra: Partial<PricingLine> = {}): PricingLine {
  return { id, unitPriceAmount, quantity, weightGrams: null, discountEligible: true, ...extra };
}

/** No code, no shipping method, no tax unless a test says otherwise: each test shows only what it is about. */
function price(lines: PricingLine[], options: Partial<Omit<PricingInput, "lines">> = {}) {
  return priceOrder({ lines, discount: null, shipping: null, taxRateBps: 0, pricesIncludeTax: false, ...options });
}

const tenPercentOff: PricingDiscount = { kind: "percentage", percent: 10 };

describe("the README's worked example: 2 × 12.50 and 1 × 9.99, 10 % off, 4.95 shipping, 20 % tax", () => {
  const lines = [line("mugs", 1250, 2), line("poster", 999, 1)];
  const shipping: PricingShipping = { rateKind: "flat", amount: 495, freeOverAmount: 5000 };

  it("prices exclusive of tax: the discount split 250/100, tax 450 + 180 + 99, total 4373", () => {
    // 10 % of 3499 = 349.9 → 350. Shares: 2500 × 350 / 3499 = 250.07…, 999 × 350 / 3499 = 99.93…: floors
    // 250 + 99 leave 1 unit, which goes to the larger remainder (the poster's .93).
    // Tax: 2250 × 20 % = 450; 899 × 20 % = 179.8 → 180; shipping 495 × 20 % = 99.
    const expectedLines: PricedLine[] = [
      { id: "mugs", lineAmount: 2500, discountAmount: 250, taxableAmount: 2250, taxAmount: 450 },
      { id: "poster", lineAmount: 999, discountAmount: 100, taxableAmount: 899, taxAmount: 180 },
    ];
    const order = price(lines, { discount: tenPercentOff, shipping, taxRateBps: 2000 });
    expect(order).toEqual({
      lines: expectedLines,
      subtotalAmount: 3499,
      discountAmount: 350,
      shippingAmount: 495,
      shippingTaxAmount: 99,
      taxAmount: 729,
      totalAmount: 3499 - 350 + 495 + 729,
      weightGrams: 0,
    });
  });

  it("prices inclusive of tax: the tax is a sixth of each amount, rounded half up (82.5 → 83), and not added", () => {
    // 2250 / 6 = 375; 899 / 6 = 149.83 → 150; 495 / 6 = 82.5 → 83.
    const order = price(lines, { discount: tenPercentOff, shipping, taxRateBps: 2000, pricesIncludeTax: true });
    expect(order.lines.map((priced) => priced.taxAmount)).toEqual([375, 150]);
    expect(order.shippingTaxAmount).toBe(83);
    expect(order.taxAmount).toBe(608);
    expect(order.totalAmount).toBe(3499 - 350 + 495);
  });
});

describe("the discount, spread over the lines by largest remainder", () => {
  it("10 % off three lines of 333: 99.9 rounds to 100, split 34/33/33 (the tie goes to the earliest line)", () => {
    const order = price([line("a", 333, 1), line("b", 333, 1), line("c", 333, 1)], { discount: tenPercentOff });
    expect(order.discountAmount).toBe(100);
    expect(order.lines.map((priced) => priced.discountAmount)).toEqual([34, 33, 33]);
    expect(order.lines.map((priced) => priced.taxableAmount)).toEqual([299, 300, 300]);
  });

  it("the unit left over goes to the largest remainder, not to the first or the largest line", () => {
    // 100 over 100/200/400: exact shares 14.29, 28.57, 57.14 → floors 14 + 28 + 57 = 99; the .57 wins.
    expect(allocate(100, [100, 200, 400])).toEqual([14, 29, 57]);
  });

  it("ties go to the earlier lines, one unit each", () => {
    expect(allocate(1, [5, 5])).toEqual([1, 0]);
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocate(5, [3, 3, 3])).toEqual([2, 2, 1]);
  });

  it("lines of weight 0 get nothing, and nothing spread over nothing is all zeros", () => {
    expect(allocate(7, [0, 7, 0])).toEqual([0, 7, 0]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(allocate(0, [])).toEqual([]);
  });

  it("a percentage rounds half up: 50 % of 5 is 2.5 → 3, 50 % of 3 is 1.5 → 2", () => {
    expect(price([line("a", 5, 1)], { discount: { kind: "percentage", percent: 50 } }).discountAmount).toBe(3);
    expect(price([line("a", 3, 1)], { discount: { kind: "percentage", percent: 50 } }).discountAmount).toBe(2);
    expect(price([line("a", 1, 1)], { discount: { kind: "percentage", percent: 49 } }).discountAmount).toBe(0);
  });

  it("100 % takes exactly the eligible lines, leaving the others", () => {
    const order = price([line("a", 1999, 3), line("b", 500, 1, { discountEligible: false })], {
      discount: { kind: "percentage", percent: 100 },
    });
    expect(order.discountAmount).toBe(5997);
    expect(order.lines.map((priced) => priced.discountAmount)).toEqual([5997, 0]);
    expect(order.totalAmount).toBe(500);
  });

  it("a fixed code below the eligible amount is taken whole, spread over the eligible lines only", () => {
    const order = price([line("a", 300, 1), line("b", 1000, 1, { discountEligible: false }), line("c", 100, 1)], {
      discount: { kind: "fixed", amount: 200 },
    });
    expect(order.discountAmount).toBe(200);
    expect(order.lines.map((priced) => priced.discountAmount)).toEqual([150, 0, 50]);
    expect(order.totalAmount).toBe(1200);
  });

  it("a fixed code larger than the eligible lines is capped at them", () => {
    const order = price([line("a", 1000, 1), line("b", 500, 1, { discountEligible: false })], {
      discount: { kind: "fixed", amount: 5000 },
    });
    expect(order.discountAmount).toBe(1000);
    expect(order.lines.map((priced) => priced.discountAmount)).toEqual([1000, 0]);
    expect(order.totalAmount).toBe(500);
  });

  it("a code that applies to no line takes nothing", () => {
    const lines = [line("a", 1000, 2, { discountEligible: false }), line("b", 0, 1)];
    for (const discount of [tenPercentOff, { kind: "fixed", amount: 300 } as const]) {
      const order = price(lines, { discount });
      expect(order.discountAmount).toBe(0);
      expect(order.lines.map((priced) => priced.discountAmount)).toEqual([0, 0]);
      expect(order.totalAmount).toBe(2000);
    }
  });
});

describe("rounding half up", () => {
  it("an exact half goes up, anything below it down, whether the whole part is odd or even", () => {
    expect(divideRoundingHalfUp(5, 10)).toBe(1);
    expect(divideRoundingHalfUp(4, 10)).toBe(0);
    expect(divideRoundingHalfUp(15, 10)).toBe(2);
    expect(divideRoundingHalfUp(25, 10)).toBe(3);
    expect(divideRoundingHalfUp(24, 10)).toBe(2);
    expect(divideRoundingHalfUp(26, 10)).toBe(3);
    expect(divideRoundingHalfUp(0, 7)).toBe(0);
    expect(divideRoundingHalfUp(21, 7)).toBe(3);
  });

  it("exactly, past 2^53", () => {
    // (2^53 + 1) / 2 = 2^52 + 0.5 → 2^52 + 1; as a number, 2^53 + 1 would already be 2^53.
    expect(divideRoundingHalfUp(2n ** 53n + 1n, 2)).toBe(2 ** 52 + 1);
  });
});

describe("tax, on each line after its discount and on shipping", () => {
  it("inclusive 20 % on 1200 holds 200; exclusive 20 % on 999 adds 199.8 → 200", () => {
    expect(taxOf(1200, 2000, true)).toBe(200);
    expect(taxOf(999, 2000, false)).toBe(200);
    expect(price([line("a", 1200, 1)], { taxRateBps: 2000, pricesIncludeTax: true })).toMatchObject({
      taxAmount: 200,
      totalAmount: 1200,
    });
    expect(price([line("a", 999, 1)], { taxRateBps: 2000 })).toMatchObject({ taxAmount: 200, totalAmount: 1199 });
  });

  it("exclusive: an exact half goes up (50 % of 1 is 0.5 → 1; 12.5 % of 12 is 1.5 → 2), below it down", () => {
    expect(taxOf(1, 5000, false)).toBe(1);
    expect(taxOf(12, 1250, false)).toBe(2);
    expect(taxOf(1, 2000, false)).toBe(0);
    expect(taxOf(1000, 0, false)).toBe(0);
  });

  it("inclusive: the tax, not the net amount, is rounded half up (a sixth of 3 is 0.5 → 1, of 1203 is 200.5 → 201)", () => {
    expect(taxOf(3, 2000, true)).toBe(1);
    expect(taxOf(1203, 2000, true)).toBe(201);
    expect(taxOf(1202, 2000, true)).toBe(200);
    expect(taxOf(1000, 0, true)).toBe(0);
  });

  it("is charged per line, so two lines of 1 at 50 % carry 1 + 1, not a half-up of the sum", () => {
    const order = price([line("a", 1, 1), line("b", 1, 1)], { taxRateBps: 5000 });
    expect(order.lines.map((priced) => priced.taxAmount)).toEqual([1, 1]);
    expect(order.taxAmount).toBe(2);
    expect(order.totalAmount).toBe(4);
  });

  it("no shipping method and no code leave shipping and its tax at 0", () => {
    const order = price([line("a", 100, 1)], { taxRateBps: 2000 });
    expect(order).toMatchObject({ shippingAmount: 0, shippingTaxAmount: 0, discountAmount: 0, totalAmount: 120 });
  });
});

describe("shipping", () => {
  const bySubtotal: PricingShipping = {
    rateKind: "subtotal_tiers",
    // Listed out of order on purpose: the tier is chosen by its min, not its place.
    tiers: [
      { min: 5000, amount: 300 },
      { min: 0, amount: 500 },
      { min: 3000, amount: 400 },
    ],
    freeOverAmount: 8000,
  };

  it("a flat method charges its amount until the goods reach free_over_amount", () => {
    const flat: PricingShipping = { rateKind: "flat", amount: 700, freeOverAmount: 8000 };
    expect(price([line("a", 7999, 1)], { shipping: flat }).shippingAmount).toBe(700);
    expect(price([line("a", 8000, 1)], { shipping: flat }).shippingAmount).toBe(0);
    expect(price([line("a", 99_999, 1)], { shipping: { ...flat, freeOverAmount: null } }).shippingAmount).toBe(700);
  });

  it("subtotal tiers: the highest min not above the goods, a tier applying from exactly its min", () => {
    expect(price([line("a", 2999, 1)], { shipping: bySubtotal }).shippingAmount).toBe(500);
    expect(price([line("a", 3000, 1)], { shipping: bySubtotal }).shippingAmount).toBe(400);
    expect(price([line("a", 4999, 1)], { shipping: bySubtotal }).shippingAmount).toBe(400);
    expect(price([line("a", 5000, 1)], { shipping: bySubtotal }).shippingAmount).toBe(300);
    expect(price([line("a", 0, 1)], { shipping: bySubtotal }).shippingAmount).toBe(500);
  });

  it("free from exactly free_over_amount, charged one unit below", () => {
    expect(price([line("a", 7999, 1)], { shipping: bySubtotal }).shippingAmount).toBe(300);
    expect(price([line("a", 8000, 1)], { shipping: bySubtotal }).shippingAmount).toBe(0);
  });

  it("tiers and free_over_amount look at the goods after the discount", () => {
    // 5000 − 10 % = 4500: the 3000 tier, not the 5000 one; 8000 − 1 = 7999: still charged.
    expect(price([line("a", 5000, 1)], { shipping: bySubtotal, discount: tenPercentOff }).shippingAmount).toBe(400);
    const oneOff: PricingDiscount = { kind: "fixed", amount: 1 };
    expect(price([line("a", 8000, 1)], { shipping: bySubtotal, discount: oneOff }).shippingAmount).toBe(300);
  });

  it("weight tiers weigh each line's weight × quantity, a line with no weight counting 0", () => {
    const byWeight: PricingShipping = {
      rateKind: "weight_tiers",
      tiers: [
        { min: 0, amount: 400 },
        { min: 1000, amount: 800 },
      ],
      freeOverAmount: null,
    };
    const under = [line("mugs", 100, 3, { weightGrams: 300 }), line("ebook", 5000, 5)];
    expect(price(under, { shipping: byWeight })).toMatchObject({ weightGrams: 900, shippingAmount: 400 });
    const atTier = [...under, line("card", 1, 1, { weightGrams: 100 })];
    expect(price(atTier, { shipping: byWeight })).toMatchObject({ weightGrams: 1000, shippingAmount: 800 });
  });

  it("below every tier's min (tiers are stored from 0, so only a malformed list) costs nothing", () => {
    const fromTen: PricingShipping = {
      rateKind: "subtotal_tiers",
      tiers: [{ min: 10, amount: 400 }],
      freeOverAmount: null,
    };
    expect(price([line("a", 9, 1)], { shipping: fromTen }).shippingAmount).toBe(0);
    expect(price([line("a", 10, 1)], { shipping: fromTen }).shippingAmount).toBe(400);
  });

  it("a free-shipping code makes shipping and its tax 0, and takes nothing off the goods", () => {
    const flat: PricingShipping = { rateKind: "flat", amount: 700, freeOverAmount: null };
    const order = price([line("a", 1000, 1)], {
      shipping: flat,
      discount: { kind: "free_shipping" },
      taxRateBps: 2000,
    });
    expect(order).toMatchObject({ discountAmount: 0, shippingAmount: 0, shippingTaxAmount: 0, totalAmount: 1200 });
    expect(order.lines[0]?.discountAmount).toBe(0);
  });

  it("an empty cart costs only its shipping", () => {
    const flat: PricingShipping = { rateKind: "flat", amount: 700, freeOverAmount: null };
    expect(price([], { shipping: flat, taxRateBps: 1000 })).toEqual({
      lines: [],
      subtotalAmount: 0,
      discountAmount: 0,
      shippingAmount: 700,
      shippingTaxAmount: 70,
      taxAmount: 70,
      totalAmount: 770,
      weightGrams: 0,
    });
  });
});

describe("refundedTaxFor", () => {
  const order = { totalAmount: 1200, taxAmount: 200 };

  it("gives back the refunded share of the tax, rounded half up", () => {
    expect(refundedTaxFor(order, 0)).toBe(0);
    expect(refundedTaxFor(order, 600)).toBe(100);
    // 200 × 3 / 1200 = 0.5 → 1; 200 × 2 / 1200 = 0.33 → 0.
    expect(refundedTaxFor(order, 3)).toBe(1);
    expect(refundedTaxFor(order, 2)).toBe(0);
    expect(refundedTaxFor(order, 1200)).toBe(200);
  });

  it("never more than the whole tax, however much is refunded", () => {
    expect(refundedTaxFor(order, 5000)).toBe(200);
  });

  it("three refunds of 400, each the difference of the running totals, give back 67 + 66 + 67 = 200", () => {
    const running = [0, 400, 800, 1200].map((refunded) => refundedTaxFor(order, refunded));
    expect(running).toEqual([0, 67, 133, 200]);
  });

  it("an order of 0 gives back no tax", () => {
    expect(refundedTaxFor({ totalAmount: 0, taxAmount: 0 }, 0)).toBe(0);
    expect(refundedTaxFor({ totalAmount: 0, taxAmount: 0 }, 100)).toBe(0);
  });
});
