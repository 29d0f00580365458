import { describe, expect, it } from "vitest";
import {
  atStartOfRateLimitWindow,
  RATE_LIMIT_TEST_TIMEOUT,
  signedInUser,
  testClient,
  unique,
} from "../support/accounts";
import { asShopper, placeOrder } from "../support/shopping";
import { readProblem } from "../support/worker";

/** Sends `count` requests from one client and returns their statuses; the last must be the limit's 429. */
async function burst(count: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await send();
    statuses.push(response.status);
    if (response.status === 429) {
      expect(response.headers.get("retry-after")).toBe("60");
      expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:rate_limited");
    }
  }
  return statuses;
}

describe("per-client limits on the routes an attacker would hammer (wrangler.toml [[ratelimits]])", () => {
  it(
    "checkout: the 21st in a minute from one client is 429, before anything else is looked at",
    async () => {
      await atStartOfRateLimitWindow();
      const shopper = asShopper(await signedInUser());
      // An empty cart answers 422 each time: the limiter counts attempts, not successes.
      const statuses = await burst(21, () => placeOrder(shopper, crypto.randomUUID()));
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(422));
      expect(statuses[20]).toBe(429);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );

  it(
    "refresh: the 31st in a minute from one client is 429",
    async () => {
      await atStartOfRateLimitWindow();
      const client = testClient();
      const statuses = await burst(31, () =>
        client.json("POST", "/api/auth/refresh", { refresh_token: unique("not-a-refresh-token-") }),
      );
      expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
      expect(statuses[30]).toBe(429);
      // Another client is unaffected.
      expect((await testClient().json("POST", "/api/auth/refresh", { refresh_token: unique("x") })).status).toBe(401);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );

  it(
    "two-factor setup: the 11th in a minute from one client is 429",
    async () => {
      await atStartOfRateLimitWindow();
      const account = await signedInUser();
      const statuses = await burst(11, () =>
        account.client.fetch("/api/users/me/2fa/setup", { method: "POST", token: account.tokens.access_token }),
      );
      expect(statuses.slice(0, 10).every((status) => status !== 429)).toBe(true);
      expect(statuses[10]).toBe(429);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );
});
