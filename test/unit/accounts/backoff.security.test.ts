import { describe, expect, it } from "vitest";
import { delayAfter, PASSWORD_RESET, SIGN_IN } from "../../../src/modules/accounts/backoff";

describe("the backoff schedule: seconds to wait after n counted attempts", () => {
  it("lets the free attempts through without any delay", () => {
    for (let attempts = 0; attempts <= 10; attempts++) expect(delayAfter(attempts, 10), `${attempts}`).toBe(0);
  });

  it("then waits 1 s, doubling with every further attempt", () => {
    expect([11, 12, 13, 14, 15, 20].map((attempts) => delayAfter(attempts, 10))).toEqual([1, 2, 4, 8, 16, 512]);
    expect([4, 5, 6].map((attempts) => delayAfter(attempts, 3))).toEqual([1, 2, 4]);
  });

  it("never waits more than an hour, however many attempts", () => {
    expect(delayAfter(10 + 12, 10)).toBe(2048);
    expect(delayAfter(10 + 13, 10)).toBe(3600);
    expect(delayAfter(10_000, 10)).toBe(3600);
  });

  it("sign-in allows 10 attempts per identifier, 3 per client network, 10 per known device; reset 3 and 3", () => {
    expect(SIGN_IN).toEqual({ scope: "login", freeForAccount: 10, freeForClient: 3, freeForDevice: 10 });
    expect(PASSWORD_RESET).toEqual({ scope: "password_reset", freeForAccount: 3, freeForClient: 3, freeForDevice: 0 });
    // One client slows down sooner than the account as a whole.
    expect(delayAfter(4, SIGN_IN.freeForClient)).toBe(1);
    expect(delayAfter(4, SIGN_IN.freeForAccount)).toBe(0);
  });
});
