import { afterEach, describe, expect, it, vi } from "vitest";
import {
  atStartOfRateLimitWindow,
  RATE_LIMIT_TEST_TIMEOUT,
  registerAccount,
  testClient,
  unique,
} from "../support/accounts";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

function attempt(username: string, password: string, ip?: string) {
  return testClient(ip).json("POST", "/api/auth/login", { username, password });
}

describe("per-client rate limit (Workers Rate Limiting, keyed on CF-Connecting-IP)", () => {
  it(
    "the 11th sign-in attempt in a minute from one client gets 429 with Retry-After",
    async () => {
      await atStartOfRateLimitWindow();
      const client = testClient();
      const statuses = [];
      for (let i = 0; i < 11; i++) {
        const response = await client.json("POST", "/api/auth/login", {
          username: unique("nobody"),
          password: "whatever-it-is",
        });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(response.headers.get("retry-after")).toBe("60");
          expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:rate_limited");
        }
      }
      expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
      expect(statuses[10]).toBe(429);
      // Another client is unaffected.
      expect((await attempt(unique("nobody"), "whatever-it-is")).status).toBe(401);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );

  it(
    "X-Forwarded-For cannot change the client identity",
    async () => {
      await atStartOfRateLimitWindow();
      const client = testClient();
      const statuses = [];
      for (let i = 0; i < 11; i++) {
        const response = await client.fetch("/api/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json", "X-Forwarded-For": `198.51.100.${i + 1}` },
          body: JSON.stringify({ username: unique("nobody"), password: "whatever-it-is" }),
        });
        statuses.push(response.status);
      }
      expect(statuses[10]).toBe(429);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );

  it(
    "registration is limited too (5 a minute per client)",
    async () => {
      await atStartOfRateLimitWindow();
      const client = testClient();
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        const name = unique("rl");
        const response = await client.json("POST", "/api/auth/register", {
          email: `${name}@shop.test`,
          username: name,
          password: "a long and unusual passphrase",
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );
});

describe("per-account backoff after failed sign-ins", () => {
  it("one account guessed from many clients is slowed after 10 failures, even with the right password", async () => {
    const account = await registerAccount();
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 10; i++) expect((await attempt(account.username, "wrong password guess")).status).toBe(401);
    // The 11th failure starts the delay.
    expect((await attempt(account.username, "wrong password guess")).status).toBe(401);
    const blocked = await attempt(account.username, account.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await readProblem(blocked)).type).toBe("urn:edge-commerce:problem:login_backoff");

    vi.setSystemTime(Date.now() + 2_000);
    expect((await attempt(account.username, account.password)).status).toBe(200);
  });

  it("the delay doubles per failure and never exceeds an hour; it is forgotten after a quiet day", async () => {
    const username = unique("target");
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let failure = 1; failure <= 10; failure++) expect((await attempt(username, "wrong guess")).status).toBe(401);
    const delays = [];
    for (let failure = 11; failure <= 24; failure++) {
      expect((await attempt(username, "wrong guess")).status).toBe(401);
      const probe = await attempt(username, "wrong guess");
      expect(probe.status).toBe(429);
      const delay = Number(probe.headers.get("retry-after"));
      delays.push(delay);
      vi.setSystemTime(Date.now() + delay * 1000);
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600]);

    expect((await attempt(username, "wrong guess")).status).toBe(401);
    vi.setSystemTime(Date.now() + 25 * 60 * 60 * 1000);
    // A quiet day later the count starts again: ten free failures.
    for (let failure = 1; failure <= 10; failure++) expect((await attempt(username, "wrong guess")).status).toBe(401);
  });

  it("one client failing on one account is slowed after 3 failures; another client is not", async () => {
    const account = await registerAccount();
    const ip = testClient().ip;
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 4; i++) expect((await attempt(account.username, "wrong password guess", ip)).status).toBe(401);
    expect((await attempt(account.username, account.password, ip)).status).toBe(429);
    expect((await attempt(account.username, account.password)).status).toBe(200);
  });

  it("an existing and a made-up account answer the same sequence (the backoff reveals nothing)", async () => {
    const account = await registerAccount();
    const ip = testClient().ip;
    const madeUp = unique("ghost");
    const ipForGhost = testClient().ip;
    vi.useFakeTimers({ toFake: ["Date"] });
    const real = [];
    const ghost = [];
    for (let i = 0; i < 6; i++) {
      real.push((await attempt(account.username, "wrong password guess", ip)).status);
      ghost.push((await attempt(madeUp, "wrong password guess", ipForGhost)).status);
    }
    expect(real).toEqual(ghost);
    expect(real).toContain(429);
  });

  it("a successful sign-in clears the counters", async () => {
    const account = await registerAccount();
    const ip = testClient().ip;
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 3; i++) await attempt(account.username, "wrong password guess", ip);
    expect((await attempt(account.username, account.password, ip)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await attempt(account.username, "wrong password guess", ip)).status).toBe(401);
  });
});
