import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../../src/modules/payments/queue-consumer";

describe("retryDelaySeconds: how long a failed payment event waits before its next try", () => {
  it("is 5 s after the first failure and doubles with each one", () => {
    expect([1, 2, 3, 4, 5, 6].map((attempts) => retryDelaySeconds(attempts))).toEqual([5, 10, 20, 40, 80, 160]);
  });

  it("is capped at 5 minutes", () => {
    expect(retryDelaySeconds(7)).toBe(300);
    expect(retryDelaySeconds(8)).toBe(300);
    expect(retryDelaySeconds(1000)).toBe(300);
  });

  it("starts from the configured first delay (PAYMENT_EVENT_RETRY_SECONDS); 0 retries at once every time", () => {
    expect([1, 2, 3].map((attempts) => retryDelaySeconds(attempts, 2))).toEqual([2, 4, 8]);
    expect([1, 2, 9].map((attempts) => retryDelaySeconds(attempts, 0))).toEqual([0, 0, 0]);
  });

  it("treats a first delivery (0 attempts reported) like the first failure", () => {
    expect(retryDelaySeconds(0)).toBe(5);
    expect(retryDelaySeconds(-3)).toBe(5);
  });
});
