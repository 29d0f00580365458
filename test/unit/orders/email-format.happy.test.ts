import { describe, expect, it } from "vitest";
import { formatMoney } from "../../../src/modules/orders/email-format";

describe("formatMoney", () => {
  it.each([
    [0, "usd", "USD 0.00"],
    [5, "usd", "USD 0.05"],
    [1999, "eur", "EUR 19.99"],
    [123_456_789, "gbp", "GBP 1,234,567.89"],
    [-300, "usd", "-USD 3.00"],
    [1500, "jpy", "JPY 1,500"],
    [1500, "JPY", "JPY 1,500"],
    [7, "krw", "KRW 7"],
    [Number.MAX_SAFE_INTEGER, "usd", "USD 90,071,992,547,409.91"],
  ])("%i %s → %s", (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it("refuses what is not an integer amount in minor units", () => {
    for (const amount of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => formatMoney(amount, "usd")).toThrow(RangeError);
    }
  });
});
