import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type PricedOrder,
  type PricingDiscount,
  type PricingInput,
  type PricingLine,
  type PricingShipping,
  priceOrder,
  refundedTaxFor,
} from "../../../src/modules/pricing";
import type { PricingTier } from "../../../src/modules/pricing/totals";

/** Enough runs to meet carts with ties, caps, tier boundaries and .5 roundings, yet seconds per property. */
const RUNS = 2000;

const lineWithoutId: fc.Arbitrary<Omit<PricingLine, "id">> = fc.record({
  unitPriceAmount: fc.integer({ min: 0, max: 10_000_000 }),
  quantity: fc.integer({ min: 1, max: 1000 }),
  weightGrams: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null }),
  discountEligible: fc.boolean(),
});

const cartLines: fc.Arbitrary<PricingLine[]> = fc
  .array(lineWithoutId, { maxLength: 20 })
  .map((lines) => lines.map((line, index) => ({ id: `line-${index}`, ...line })));

const discountCode: fc.Arbitrary<PricingDiscount | null> = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant("percentage" as const), percent: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("fixed" as const), amount: fc.integer({ min: 1, max: 100_000_000 }) }),
  fc.constant({ kind: "free_shipping" as const }),
);

const freeOverAmount = fc.option(fc.integer({ min: 0, max: 100_000_000_000 }), { nil: null });

/**
 * Tiers as shipping methods store them (the first at min 0, mins distinct), handed over in any order: which
 * tier applies depends on the mins, not on where a tier is listed.
 */
function tiers(maxMin: number): fc.Arbitrary<PricingTier[]> {
  const amount = fc.integer({ min: 0, max: 1_000_000 });
  return fc
    .tuple(
      amount,
      fc.uniqueArray(fc.record({ min: fc.integer({ min: 1, max: maxMin }), amount }), {
        selector: (tier) => tier.min,
        maxLength: 5,
      }),
    )
    .chain(([firstAmount, rest]) => {
      const all = [{ min: 0, amount: firstAmount }, ...rest];
      return fc.shuffledSubarray(all, { minLength: all.length });
    });
}

const shippingMethod: fc.Arbitrary<PricingShipping | null> = fc.oneof(
  fc.constant(null),
  fc.record({ rateKind: fc.constant("flat" as const), amount: fc.integer({ min: 0, max: 1_000_000 }), freeOverAmount }),
  // Subtotals reach 2 × 10^11 and total weights 10^9: mins spread over those ranges.
  fc.record({ rateKind: fc.constant("subtotal_tiers" as const), tiers: tiers(200_000_000_000), freeOverAmount }),
  fc.record({ rateKind: fc.constant("weight_tiers" as const), tiers: tiers(1_000_000_000), freeOverAmount }),
);

const pricingInput: fc.Arbitrary<PricingInput> = fc.record({
  lines: cartLines,
  discount: discountCode,
  shipping: shippingMethod,
  taxRateBps: fc.integer({ min: 0, max: 10_000 }),
  pricesIncludeTax: fc.boolean(),
});

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function eligibleAmount(input: PricingInput, order: PricedOrder): number {
  return sum(order.lines.filter((_, index) => input.lines[index]?.discountEligible).map((line) => line.lineAmount));
}

/**
 * Whether `result` is n / d rounded half up, stated as what rounding means rather than computed the same way:
 * n / d − 1/2 < result ≤ n / d + 1/2, i.e. −d < 2 (d × result − n) ≤ d (in BigInt: n can pass 2^53).
 */
function isRoundedHalfUp(result: number, n: bigint, d: bigint): boolean {
  const twiceError = 2n * (d * BigInt(result) - n);
  return -d < twiceError && twiceError <= d;
}

function taxIsRoundedHalfUp(tax: number, amount: number, input: PricingInput): boolean {
  const rate = BigInt(input.taxRateBps);
  // Exclusive: amount × rate. Inclusive: amount − amount / (1 + rate) = amount × rate / (1 + rate).
  const denominator = input.pricesIncludeTax ? 10_000n + rate : 10_000n;
  return isRoundedHalfUp(tax, BigInt(amount) * rate, denominator);
}

describe("priceOrder over random carts, codes, shipping methods and tax rates", () => {
  it("the total is subtotal − discount + shipping, plus the tax only when prices exclude it", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        const taxAdded = input.pricesIncludeTax ? 0 : order.taxAmount;
        expect(order.totalAmount).toBe(order.subtotalAmount - order.discountAmount + order.shippingAmount + taxAdded);
      }),
      { numRuns: RUNS },
    );
  });

  it("every amount is a non-negative safe integer", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        const amounts = [
          ...order.lines.flatMap((line) => [line.lineAmount, line.discountAmount, line.taxableAmount, line.taxAmount]),
          order.subtotalAmount,
          order.discountAmount,
          order.shippingAmount,
          order.shippingTaxAmount,
          order.taxAmount,
          order.totalAmount,
          order.weightGrams,
        ];
        expect(amounts.filter((amount) => !Number.isSafeInteger(amount) || amount < 0)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("each line is unit price × quantity, in order, and the subtotal and weight add the lines up", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        expect(order.lines.map((line) => line.id)).toEqual(input.lines.map((line) => line.id));
        expect(order.lines.map((line) => line.lineAmount)).toEqual(
          input.lines.map((line) => line.unitPriceAmount * line.quantity),
        );
        expect(order.subtotalAmount).toBe(sum(order.lines.map((line) => line.lineAmount)));
        expect(order.weightGrams).toBe(sum(input.lines.map((line) => (line.weightGrams ?? 0) * line.quantity)));
      }),
      { numRuns: RUNS },
    );
  });

  it("the line discounts add up to the discount, which only eligible lines get and none beyond its amount", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        expect(sum(order.lines.map((line) => line.discountAmount))).toBe(order.discountAmount);
        expect(order.discountAmount).toBeLessThanOrEqual(eligibleAmount(input, order));
        order.lines.forEach((line, index) => {
          if (!input.lines[index]?.discountEligible) expect(line.discountAmount).toBe(0);
          expect(line.discountAmount).toBeLessThanOrEqual(line.lineAmount);
          expect(line.taxableAmount).toBe(line.lineAmount - line.discountAmount);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("the discount is the code's: half-up percent of the eligible lines, or the fixed amount capped at them", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        const eligible = eligibleAmount(input, order);
        const { discount } = input;
        if (discount?.kind === "percentage") {
          expect(isRoundedHalfUp(order.discountAmount, BigInt(eligible) * BigInt(discount.percent), 100n)).toBe(true);
          if (discount.percent === 100) expect(order.discountAmount).toBe(eligible);
        } else if (discount?.kind === "fixed") {
          expect(order.discountAmount).toBe(Math.min(discount.amount, eligible));
        } else {
          expect(order.discountAmount).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("each line's share of the discount is its proportional share, rounded down or up by at most one unit", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        const eligible = BigInt(eligibleAmount(input, order));
        if (eligible === 0n) return;
        order.lines.forEach((line, index) => {
          const weight = input.lines[index]?.discountEligible ? BigInt(line.lineAmount) : 0n;
          // |line discount − discount × weight / eligible| < 1, multiplied through by eligible.
          const gap = BigInt(line.discountAmount) * eligible - BigInt(order.discountAmount) * weight;
          expect(gap > -eligible && gap < eligible).toBe(true);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("the tax is the lines' tax plus the shipping's, each rounded half up on its amount after discount", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        expect(sum(order.lines.map((line) => line.taxAmount)) + order.shippingTaxAmount).toBe(order.taxAmount);
        for (const line of order.lines) {
          expect(taxIsRoundedHalfUp(line.taxAmount, line.taxableAmount, input)).toBe(true);
          if (input.pricesIncludeTax) expect(line.taxAmount).toBeLessThanOrEqual(line.taxableAmount);
        }
        expect(taxIsRoundedHalfUp(order.shippingTaxAmount, order.shippingAmount, input)).toBe(true);
        if (input.pricesIncludeTax) expect(order.shippingTaxAmount).toBeLessThanOrEqual(order.shippingAmount);
      }),
      { numRuns: RUNS },
    );
  });

  it("shipping is free with a free-shipping code or from the free-over amount, else the flat amount or tier", () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const order = priceOrder(input);
        const { shipping } = input;
        const goods = order.subtotalAmount - order.discountAmount;
        if (input.discount?.kind === "free_shipping" || shipping === null) {
          expect(order.shippingAmount).toBe(0);
        } else if (shipping.freeOverAmount !== null && goods >= shipping.freeOverAmount) {
          expect(order.shippingAmount).toBe(0);
        } else if (shipping.rateKind === "flat") {
          expect(order.shippingAmount).toBe(shipping.amount);
        } else {
          const measure = shipping.rateKind === "subtotal_tiers" ? goods : order.weightGrams;
          const reached = shipping.tiers.filter((tier) => tier.min <= measure);
          const highest = reached.find((tier) => reached.every((other) => other.min <= tier.min));
          expect(order.shippingAmount).toBe(highest?.amount);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** A priced order, and cut points for refunding its total in up to five parts. */
const orderAndRefunds = pricingInput.chain((input) => {
  const order = priceOrder(input);
  const cut = fc.integer({ min: 0, max: order.totalAmount });
  return fc.tuple(fc.constant(order), fc.array(cut, { maxLength: 4 }), cut, cut);
});

/** Orders past what carts reach, up to 2^53: tax × refunded is far past 2^53 and must still round exactly. */
const largeOrder = fc
  .tuple(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }))
  .chain(([totalAmount, taxSeed]) => {
    const order = { totalAmount, taxAmount: taxSeed % (totalAmount + 1) };
    return fc.tuple(fc.constant(order), fc.integer({ min: 0, max: totalAmount }));
  });

describe("refundedTaxFor over random orders and refunds", () => {
  it("is 0 at 0, the whole tax at (or past) the total, and grows with the refunded amount", () => {
    fc.assert(
      fc.property(orderAndRefunds, ([order, , first, second]) => {
        expect(refundedTaxFor(order, 0)).toBe(0);
        expect(refundedTaxFor(order, order.totalAmount)).toBe(order.taxAmount);
        expect(refundedTaxFor(order, order.totalAmount + 1)).toBe(order.taxAmount);
        const [smaller, larger] = first <= second ? [first, second] : [second, first];
        expect(refundedTaxFor(order, smaller)).toBeLessThanOrEqual(refundedTaxFor(order, larger));
      }),
      { numRuns: RUNS },
    );
  });

  it("partial refunds, each given the difference of the running totals, add up to the whole tax", () => {
    fc.assert(
      fc.property(orderAndRefunds, ([order, cuts]) => {
        const runningTotals = [...[...cuts].sort((a, b) => a - b), order.totalAmount];
        let refundedBefore = 0;
        let taxGivenBack = 0;
        for (const refundedSoFar of runningTotals) {
          const part = refundedTaxFor(order, refundedSoFar) - refundedTaxFor(order, refundedBefore);
          expect(part).toBeGreaterThanOrEqual(0);
          taxGivenBack += part;
          refundedBefore = refundedSoFar;
        }
        expect(taxGivenBack).toBe(order.taxAmount);
      }),
      { numRuns: RUNS },
    );
  });

  it("is the refunded share of the tax rounded half up, however large the order", () => {
    fc.assert(
      fc.property(largeOrder, ([order, refunded]) => {
        const taxBack = refundedTaxFor(order, refunded);
        const exactShare = BigInt(order.taxAmount) * BigInt(refunded);
        expect(isRoundedHalfUp(taxBack, exactShare, BigInt(order.totalAmount))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
