/**
 * What an order costs, from its lines, one discount, one shipping method and one tax rate: integers in the
 * smallest currency unit, never negative, and total = subtotal − discount + shipping (+ tax when prices exclude
 * it). Pure: the cart, checkout and the property test all call this one function.
 *
 * The rules (README "Totals and rounding"):
 * - A line's amount is unit price × quantity; the subtotal is their sum.
 * - A percentage code takes round-half-up(eligible × percent / 100); a fixed code min(amount, eligible), where
 *   eligible is the sum of the lines the code applies to. The discount is spread over those lines in proportion
 *   to their amounts by largest remainder: each line gets the floor of its share, and the units left over go one
 *   each to the lines with the largest remainders (the earlier line on a tie), so the lines add up exactly.
 * - Shipping is the method's flat amount, or the tier for the goods after discount (subtotal tiers) or the total
 *   weight (weight tiers): the tier with the highest `min` not above it. It is 0 with a free-shipping code, or
 *   when the goods after discount reach the method's `free_over_amount`.
 * - Tax is computed per line on its amount after discount, and on shipping, at one rate, rounding half up each
 *   time. Prices exclusive of tax: tax = rate × amount. Inclusive: the amount already holds its tax, which is
 *   amount − amount / (1 + rate).
 */

export interface PricingLine {
  id: string;
  unitPriceAmount: number;
  quantity: number;
  /** The variant's weight; null counts as 0. */
  weightGrams: number | null;
  /** Whether the discount code applies to this line (always true for a code on the whole order). */
  discountEligible: boolean;
}

export type PricingDiscount =
  | { kind: "percentage"; percent: number }
  | { kind: "fixed"; amount: number }
  | { kind: "free_shipping" };

export interface PricingTier {
  min: number;
  amount: number;
}

export type PricingShipping =
  | { rateKind: "flat"; amount: number; freeOverAmount: number | null }
  | { rateKind: "subtotal_tiers" | "weight_tiers"; tiers: PricingTier[]; freeOverAmount: number | null };

export interface PricingInput {
  lines: PricingLine[];
  discount: PricingDiscount | null;
  /** Null: no method chosen yet (shipping 0). */
  shipping: PricingShipping | null;
  /** Basis points (2000 = 20 %); 0 when the address has no rate or is not known yet. */
  taxRateBps: number;
  pricesIncludeTax: boolean;
}

export interface PricedLine {
  id: string;
  lineAmount: number;
  discountAmount: number;
  /** lineAmount − discountAmount: what the rate applies to. */
  taxableAmount: number;
  taxAmount: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  subtotalAmount: number;
  discountAmount: number;
  shippingAmount: number;
  shippingTaxAmount: number;
  /** Σ line tax + shipping tax. */
  taxAmount: number;
  totalAmount: number;
  weightGrams: number;
}

/**
 * n / d rounded half up, for non-negative integers. Callers pass a product as a bigint: amount × basis points
 * can pass 2^53, where a number product would already have been rounded.
 */
export function divideRoundingHalfUp(n: number | bigint, d: number): number {
  const numerator = BigInt(n);
  const denominator = BigInt(d);
  return Number((2n * numerator + denominator) / (2n * denominator));
}

function assertAmount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/** a × b exactly, however large. */
function product(a: number, b: number): bigint {
  return BigInt(a) * BigInt(b);
}

/** Splits `amount` over `weights` in proportion, by largest remainder; the parts add up to `amount` exactly. */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return weights.map(() => 0);
  const shares = weights.map((weight) => {
    const exact = BigInt(amount) * BigInt(weight);
    return { floor: Number(exact / BigInt(total)), remainder: exact % BigInt(total) };
  });
  let left = amount - shares.reduce((sum, share) => sum + share.floor, 0);
  const byRemainder = shares
    .map((share, index) => ({ index, remainder: share.remainder }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const parts = shares.map((share) => share.floor);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

/** The tax in (inclusive) or on (exclusive) an amount at `rateBps`, rounded half up. */
export function taxOf(amount: number, rateBps: number, pricesIncludeTax: boolean): number {
  if (!pricesIncludeTax) return divideRoundingHalfUp(product(amount, rateBps), 10_000);
  // amount − amount / (1 + rate) = amount × rate / (1 + rate): rounding this, not the net amount, rounds the
  // tax half up (the net's half up is the tax's half down).
  return divideRoundingHalfUp(product(amount, rateBps), 10_000 + rateBps);
}

function discountTotal(discount: PricingDiscount | null, eligible: number): number {
  if (!discount || discount.kind === "free_shipping") return 0;
  if (discount.kind === "percentage") return divideRoundingHalfUp(product(eligible, discount.percent), 100);
  return Math.min(discount.amount, eligible);
}

function shippingOf(shipping: PricingShipping | null, goods: number, weightGrams: number): number {
  if (!shipping) return 0;
  if (shipping.freeOverAmount !== null && goods >= shipping.freeOverAmount) return 0;
  if (shipping.rateKind === "flat") return shipping.amount;
  const measure = shipping.rateKind === "subtotal_tiers" ? goods : weightGrams;
  let amount = 0;
  let best = -1;
  for (const tier of shipping.tiers) {
    if (tier.min <= measure && tier.min > best) {
      best = tier.min;
      amount = tier.amount;
    }
  }
  return amount;
}

/** A percentage above 100 would take more than the lines hold, and a negative amount would add to the total. */
function assertDiscount(discount: PricingDiscount | null): void {
  if (discount?.kind === "percentage") {
    assertAmount("percent", discount.percent);
    if (discount.percent > 100) throw new RangeError("percent must be at most 100");
  }
  if (discount?.kind === "fixed") assertAmount("discount amount", discount.amount);
}

function assertShipping(shipping: PricingShipping | null): void {
  if (!shipping) return;
  if (shipping.freeOverAmount !== null) assertAmount("freeOverAmount", shipping.freeOverAmount);
  if (shipping.rateKind === "flat") assertAmount("shipping amount", shipping.amount);
  else {
    for (const tier of shipping.tiers) {
      assertAmount("tier min", tier.min);
      assertAmount("tier amount", tier.amount);
    }
  }
}

export function priceOrder(input: PricingInput): PricedOrder {
  const { lines, discount, shipping, taxRateBps, pricesIncludeTax } = input;
  assertAmount("taxRateBps", taxRateBps);
  for (const line of lines) {
    assertAmount("unitPriceAmount", line.unitPriceAmount);
    assertAmount("quantity", line.quantity);
    assertAmount("weightGrams", line.weightGrams ?? 0);
  }
  assertDiscount(discount);
  assertShipping(shipping);
  const amounts = lines.map((line) => line.unitPriceAmount * line.quantity);
  for (const amount of amounts) assertAmount("lineAmount", amount);
  const subtotalAmount = amounts.reduce((sum, amount) => sum + amount, 0);
  assertAmount("subtotalAmount", subtotalAmount);
  const eligibleAmounts = lines.map((line, index) => (line.discountEligible ? (amounts[index] ?? 0) : 0));
  const eligible = eligibleAmounts.reduce((sum, amount) => sum + amount, 0);
  const discountAmount = discountTotal(discount, eligible);
  const lineDiscounts = allocate(discountAmount, eligibleAmounts);
  const weightGrams = lines.reduce((sum, line) => sum + (line.weightGrams ?? 0) * line.quantity, 0);

  const priced = lines.map((line, index) => {
    const lineAmount = amounts[index] ?? 0;
    const lineDiscount = lineDiscounts[index] ?? 0;
    const taxableAmount = lineAmount - lineDiscount;
    return {
      id: line.id,
      lineAmount,
      discountAmount: lineDiscount,
      taxableAmount,
      taxAmount: taxOf(taxableAmount, taxRateBps, pricesIncludeTax),
    };
  });
  const goods = subtotalAmount - discountAmount;
  const shippingAmount = discount?.kind === "free_shipping" ? 0 : shippingOf(shipping, goods, weightGrams);
  const shippingTaxAmount = taxOf(shippingAmount, taxRateBps, pricesIncludeTax);
  const taxAmount = priced.reduce((sum, line) => sum + line.taxAmount, shippingTaxAmount);
  const totalAmount = goods + shippingAmount + (pricesIncludeTax ? 0 : taxAmount);
  assertAmount("totalAmount", totalAmount);
  return {
    lines: priced,
    subtotalAmount,
    discountAmount,
    shippingAmount,
    shippingTaxAmount,
    taxAmount,
    totalAmount,
    weightGrams,
  };
}

/**
 * The tax given back once `refundedAmount` of the order's total has been refunded: the same proportion of its
 * tax, rounded half up, computed on the running total so partial refunds add up to the whole tax exactly.
 */
export function refundedTaxFor(order: { totalAmount: number; taxAmount: number }, refundedAmount: number): number {
  assertAmount("refundedAmount", refundedAmount);
  if (order.totalAmount === 0) return 0;
  const refunded = Math.min(refundedAmount, order.totalAmount);
  return divideRoundingHalfUp(product(order.taxAmount, refunded), order.totalAmount);
}
