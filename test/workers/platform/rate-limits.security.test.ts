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

  it(
    "IPv6: every address in one /64 shares one budget; the next /64 has its own",
    async () => {
      await atStartOfRateLimitWindow();
      // A fresh /64 (documentation prefix) per run, so no other test shares its budget.
      const group = () => Math.floor(Math.random() * 0xffff).toString(16);
      const [a, b] = [group(), group()];
      const network = `2001:db8:${a}:${b}`;
      const neighbour = `2001:db8:${a}:${((Number.parseInt(b, 16) + 1) % 0x10000).toString(16)}`;
      const confirmReset = (ip: string) =>
        testClient(ip).json("POST", "/api/auth/password-reset/confirm", {
          token: unique("not-a-reset-token-"),
          new_password: `Corr3ct horse ${unique()}`,
        });

      // PASSWORD_RESET_LIMITER allows 5 a minute: five different hosts of the /64 spend it...
      const hosts = ["::1", "::2", ":ffff:ffff:ffff:ffff", ":0:0:0:abcd", "::dead:beef"].map((host) => network + host);
      let sent = 0;
      const statuses = await burst(5, () => confirmReset(hosts[sent++] ?? network));
      expect(statuses).toEqual(Array(5).fill(400));
      // ...so a sixth host of it, written out in full with leading zeros, is over the limit...
      const padded = `2001:0db8:${a.padStart(4, "0")}:${b.padStart(4, "0")}:0000:0000:0000:0006`;
      expect((await burst(1, () => confirmReset(padded)))[0]).toBe(429);
      // ...while the neighbouring /64, another subscriber, is not.
      expect((await confirmReset(`${neighbour}::1`)).status).toBe(400);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );
});
