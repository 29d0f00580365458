import { describe, expect, it } from "vitest";
import { coveredRefunds } from "../../../src/modules/payments/process-event";
import { refundableAmount } from "../../../src/modules/payments/refunds";

type Status = "requested" | "succeeded" | "failed";
const refund = (id: string, amount: number, status: Status) => ({ id, amount, status });
const order = (totalAmount: number, extra: { receivedAmount?: number | null; refundedAmount?: number } = {}) => ({
  totalAmount,
  receivedAmount: extra.receivedAmount ?? null,
  refundedAmount: extra.refundedAmount ?? 0,
});

describe("refundableAmount: what is left to refund", () => {
  it("is the whole total when nothing was refunded", () => {
    expect(refundableAmount(order(5000), [])).toBe(5000);
  });

  it("starts from the amount received when one was recorded (a wrong-amount payment), not the total", () => {
    expect(refundableAmount(order(5000, { receivedAmount: 4200 }), [])).toBe(4200);
    expect(refundableAmount(order(5000, { receivedAmount: 6000 }), [])).toBe(6000);
  });

  it("subtracts requested refunds and succeeded ones", () => {
    expect(refundableAmount(order(5000), [refund("a", 1000, "requested")])).toBe(4000);
    expect(refundableAmount(order(5000), [refund("a", 1000, "succeeded"), refund("b", 500, "requested")])).toBe(3500);
  });

  it("counts the larger of the processor's refunded total and the refunds confirmed here, never both", () => {
    // The processor reported 1500 refunded; 1000 of it is confirmed here: 1500 is gone, not 2500.
    expect(refundableAmount(order(5000, { refundedAmount: 1500 }), [refund("a", 1000, "succeeded")])).toBe(3500);
    // Confirmed here beyond what the order records yet: the confirmed sum counts.
    expect(refundableAmount(order(5000, { refundedAmount: 500 }), [refund("a", 2000, "succeeded")])).toBe(3000);
    // Pending ones come on top of either.
    expect(
      refundableAmount(order(5000, { refundedAmount: 1500 }), [
        refund("a", 1000, "succeeded"),
        refund("b", 700, "requested"),
      ]),
    ).toBe(2800);
  });

  it("ignores failed refunds: their amount is free again", () => {
    expect(refundableAmount(order(5000), [refund("a", 5000, "failed")])).toBe(5000);
    expect(refundableAmount(order(5000), [refund("a", 3000, "failed"), refund("b", 1000, "requested")])).toBe(4000);
  });
});

describe("coveredRefunds: the requested refunds a refunded total confirms", () => {
  it("covers every requested refund when the total reaches their sum, oldest first", () => {
    const rows = [refund("r1", 1000, "requested"), refund("r2", 2000, "requested")];
    expect(coveredRefunds(rows, 3000).map((row) => row.id)).toEqual(["r1", "r2"]);
    expect(coveredRefunds(rows, 9999).map((row) => row.id)).toEqual(["r1", "r2"]);
  });

  it("covers the oldest first when the total covers only part", () => {
    const rows = [refund("r1", 1000, "requested"), refund("r2", 1000, "requested"), refund("r3", 1000, "requested")];
    expect(coveredRefunds(rows, 2000).map((row) => row.id)).toEqual(["r1", "r2"]);
    expect(coveredRefunds(rows, 1999).map((row) => row.id)).toEqual(["r1"]);
  });

  it("counts refunds that already succeeded against the total first", () => {
    const rows = [refund("s1", 1500, "succeeded"), refund("r1", 1000, "requested"), refund("r2", 500, "requested")];
    expect(coveredRefunds(rows, 2500).map((row) => row.id)).toEqual(["r1"]);
    expect(coveredRefunds(rows, 3000).map((row) => row.id)).toEqual(["r1", "r2"]);
  });

  it("skips a refund that does not fit, and still covers a later one that does", () => {
    const rows = [refund("big", 3000, "requested"), refund("small", 1000, "requested")];
    expect(coveredRefunds(rows, 1000).map((row) => row.id)).toEqual(["small"]);
  });

  it("never confirms failed or succeeded rows, and ignores failed amounts", () => {
    const rows = [refund("f1", 4000, "failed"), refund("s1", 1000, "succeeded"), refund("r1", 1000, "requested")];
    expect(coveredRefunds(rows, 2000).map((row) => row.id)).toEqual(["r1"]);
  });

  it("returns the rows themselves, untouched", () => {
    const rows = [{ ...refund("r1", 1000, "requested"), restock: true }];
    expect(coveredRefunds(rows, 1000)).toEqual([rows[0]]);
    expect(rows[0]?.status).toBe("requested");
  });
});
