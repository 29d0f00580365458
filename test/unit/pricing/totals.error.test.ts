import { describe, expect, it } from "vitest";
import {
  type PricingDiscount,
  type PricingInput,
  type PricingLine,
  type PricingShipping,
  priceOrder,
  refundedTaxFor,
} from "../../../src/modules/pricing";

const validLine: PricingLine = {
  id: "a",
  unitPriceAmount: 1000,
  quantity: 1,
  weightGrams: 200,
  discountEligible: true,
};
const validInput: PricingInput = {
  lines: [validLine],
  discount: null,
  shipping: null,
  taxRateBps: 2000,
  pricesIncludeTax: false,
};

/** Every way an amount can be wrong: below zero, not whole, or past where numbers stay exact. */
const NOT_AMOUNTS = [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY];

/** A RangeError naming what is wrong, so that a caller's logs point at the input to fix. */
function expectRangeError(run: () => unknown, message: string): void {
  expect(run).toThrow(RangeError);
  expect(run).toThrow(message);
}

function withLine(changes: Partial<PricingLine>): PricingInput {
  return { ...validInput, lines: [validLine, { ...validLine, id: "b", ...changes }] };
}

describe("priceOrder refuses inputs that are not non-negative safe integers", () => {
  it.each(NOT_AMOUNTS)("a unit price of %s", (value) => {
    expectRangeError(() => priceOrder(withLine({ unitPriceAmount: value })), "unitPriceAmount must be a non-negative");
  });

  it.each(NOT_AMOUNTS)("a quantity of %s", (value) => {
    expectRangeError(() => priceOrder(withLine({ quantity: value })), "quantity must be a non-negative integer");
  });

  it.each(NOT_AMOUNTS)("a weight of %s", (value) => {
    expectRangeError(() => priceOrder(withLine({ weightGrams: value })), "weightGrams must be a non-negative integer");
  });

  it.each(NOT_AMOUNTS)("a tax rate of %s basis points", (value) => {
    expectRangeError(() => priceOrder({ ...validInput, taxRateBps: value }), "taxRateBps must be a non-negative");
  });

  it("a line whose unit price × quantity passes 2^53", () => {
    expectRangeError(() => priceOrder(withLine({ unitPriceAmount: 2 ** 30, quantity: 2 ** 30 })), "lineAmount must be");
  });

  it("lines that are each safe but whose subtotal passes 2^53", () => {
    const half = { ...validLine, unitPriceAmount: 2 ** 52 };
    expectRangeError(() => priceOrder({ ...validInput, lines: [half, half] }), "subtotalAmount must be");
  });

  it("a subtotal that is safe but a total, with shipping and tax, that is not", () => {
    const nearMax = { ...validLine, unitPriceAmount: Number.MAX_SAFE_INTEGER - 10 };
    const shipping: PricingShipping = { rateKind: "flat", amount: 100, freeOverAmount: null };
    const input = { ...validInput, lines: [nearMax], shipping, taxRateBps: 0 };
    expectRangeError(() => priceOrder(input), "totalAmount must be");
  });
});

describe("priceOrder refuses codes that would take more than the lines hold or add to the total", () => {
  it.each([101, 1000])("a percentage of %s", (percent) => {
    expectRangeError(
      () => priceOrder({ ...validInput, discount: { kind: "percentage", percent } }),
      "percent must be at most 100",
    );
  });

  it.each(NOT_AMOUNTS)("a percentage of %s", (percent) => {
    const discount: PricingDiscount = { kind: "percentage", percent };
    expectRangeError(() => priceOrder({ ...validInput, discount }), "percent must be a non-negative integer");
  });

  it.each(NOT_AMOUNTS)("a fixed amount of %s", (amount) => {
    const discount: PricingDiscount = { kind: "fixed", amount };
    expectRangeError(() => priceOrder({ ...validInput, discount }), "discount amount must be a non-negative integer");
  });
});

describe("priceOrder refuses shipping methods with amounts that are not non-negative safe integers", () => {
  it.each(NOT_AMOUNTS)("a flat amount of %s", (amount) => {
    const shipping: PricingShipping = { rateKind: "flat", amount, freeOverAmount: null };
    expectRangeError(() => priceOrder({ ...validInput, shipping }), "shipping amount must be a non-negative");
  });

  it.each(NOT_AMOUNTS)("a free-over amount of %s", (freeOverAmount) => {
    const shipping: PricingShipping = { rateKind: "flat", amount: 500, freeOverAmount };
    expectRangeError(() => priceOrder({ ...validInput, shipping }), "freeOverAmount must be a non-negative");
  });

  it.each(NOT_AMOUNTS)("a tier min of %s", (min) => {
    const tiers = [
      { min: 0, amount: 500 },
      { min, amount: 300 },
    ];
    const shipping: PricingShipping = { rateKind: "weight_tiers", tiers, freeOverAmount: null };
    expectRangeError(() => priceOrder({ ...validInput, shipping }), "tier min must be a non-negative integer");
  });

  it.each(NOT_AMOUNTS)("a tier amount of %s", (amount) => {
    const tiers = [
      { min: 0, amount: 500 },
      { min: 5000, amount },
    ];
    const shipping: PricingShipping = { rateKind: "subtotal_tiers", tiers, freeOverAmount: null };
    expectRangeError(() => priceOrder({ ...validInput, shipping }), "tier amount must be a non-negative integer");
  });
});

describe("refundedTaxFor refuses a refunded amount that is not a non-negative safe integer", () => {
  it.each(NOT_AMOUNTS)("%s", (refunded) => {
    const order = { totalAmount: 1200, taxAmount: 200 };
    expectRangeError(() => refundedTaxFor(order, refunded), "refundedAmount must be a non-negative integer");
  });
});
