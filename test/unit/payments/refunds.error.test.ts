import { describe, expect, it } from "vitest";
import { coveredRefunds } from "../../../src/modules/payments/process-event";
import { refundableAmount } from "../../../src/modules/payments/refunds";

const paid = { totalAmount: 5000, receivedAmount: null, refundedAmount: 0 };

describe("nothing left to refund", () => {
  it("is zero once requested and succeeded refunds add up to what was paid", () => {
    expect(
      refundableAmount(paid, [
        { amount: 3000, status: "succeeded" },
        { amount: 2000, status: "requested" },
      ]),
    ).toBe(0);
    expect(refundableAmount({ ...paid, refundedAmount: 5000 }, [])).toBe(0);
  });

  it("goes below zero rather than hiding an over-refund (callers refuse anything <= 0)", () => {
    expect(refundableAmount({ ...paid, refundedAmount: 5000 }, [{ amount: 100, status: "requested" }])).toBe(-100);
  });

  it("a refunded total of zero, or one covering nothing, confirms no refund", () => {
    const rows = [{ id: "r1", amount: 1000, status: "requested" as const }];
    expect(coveredRefunds(rows, 0)).toEqual([]);
    expect(coveredRefunds(rows, 999)).toEqual([]);
    expect(coveredRefunds([], 5000)).toEqual([]);
  });

  it("a total already used up by succeeded refunds confirms no further one", () => {
    const rows = [
      { id: "s1", amount: 2000, status: "succeeded" as const },
      { id: "r1", amount: 1, status: "requested" as const },
    ];
    expect(coveredRefunds(rows, 2000)).toEqual([]);
  });
});
