import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountTokens, auditEvents } from "../../../src/schema";
import {
  atStartOfRateLimitWindow,
  latestEmail,
  login,
  RATE_LIMIT_TEST_TIMEOUT,
  registerAccount,
  signedInUser,
  testClient,
  testDb,
  tokenFromLatestEmail,
  unique,
} from "../support/accounts";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

function requestReset(email: string, ip?: string) {
  return testClient(ip).json("POST", "/api/auth/password-reset", { email });
}

function confirm(token: string, newPassword: string) {
  return testClient().json("POST", "/api/auth/password-reset/confirm", { token, new_password: newPassword });
}

describe("password reset", () => {
  it("answers the same 202 for a known and an unknown address; only the known one gets an email", async () => {
    const account = await registerAccount();
    const unknown = `${unique("nobody")}@shop.test`;
    const known = await requestReset(account.email.toUpperCase());
    const missing = await requestReset(unknown);
    expect(known.status).toBe(202);
    expect(missing.status).toBe(202);
    expect(await known.json()).toEqual(await missing.json());
    expect((await latestEmail(account.email))?.subject).toMatch(/Reset your/);
    expect(await latestEmail(unknown)).toBeUndefined();
  });

  it("the emailed link carries a single-use token in its fragment; it sets the password and revokes every session", async () => {
    const account = await signedInUser();
    const other = await login(account);
    await requestReset(account.email);
    const message = await latestEmail(account.email);
    expect(message?.text).toMatch(/^https:\/\/shop\.test\/reset-password#token=[\w-]{43}$/m);
    const token = await tokenFromLatestEmail(account.email);

    const newPassword = `a new and unusual passphrase ${unique()}`;
    expect((await confirm(token, newPassword)).status).toBe(204);
    for (const tokens of [account.tokens, other]) {
      expect((await account.client.fetch("/api/users/me", { token: tokens.access_token })).status).toBe(401);
    }
    await login({ ...account, password: newPassword });
    const spent = await confirm(token, `yet another passphrase ${unique()}`);
    expect(spent.status).toBe(400);
    expect((await readProblem(spent)).type).toBe("urn:edge-commerce:problem:invalid_reset_token");

    const events = await testDb()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, account.id)));
    const actions = events.map((event) => event.action);
    expect(actions).toContain("auth.password_reset_requested");
    expect(actions).toContain("auth.password_reset_completed");
  });

  it("the token is 32 random bytes, stored only as its SHA-256, for 30 minutes", async () => {
    const account = await registerAccount();
    await requestReset(account.email);
    const token = await tokenFromLatestEmail(account.email);
    expect(token).toMatch(/^[\w-]{43}$/);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
    const sha256 = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    const rows = await testDb()
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, account.id), eq(accountTokens.purpose, "password_reset")));
    expect(rows.map((row) => row.tokenHash)).toEqual([sha256]);
    expect(JSON.stringify(rows)).not.toContain(token);
    const [row] = rows;
    expect(Date.parse(row?.expiresAt ?? "") - Date.parse(row?.createdAt ?? "")).toBe(30 * 60 * 1000);
  });

  it("a token expires after 30 minutes", async () => {
    const account = await registerAccount();
    await requestReset(account.email);
    const token = await tokenFromLatestEmail(account.email);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * 60 * 1000);
    const expired = await confirm(token, `a new and unusual passphrase ${unique()}`);
    expect(expired.status).toBe(400);
    expect((await readProblem(expired)).type).toBe("urn:edge-commerce:problem:invalid_reset_token");
    // The password did not change.
    await login(account);
  });

  it("a new request invalidates the earlier token", async () => {
    const account = await registerAccount();
    await requestReset(account.email);
    const first = await tokenFromLatestEmail(account.email);
    await requestReset(account.email);
    const second = await tokenFromLatestEmail(account.email);
    expect(second).not.toBe(first);
    const superseded = await confirm(first, `a new and unusual passphrase ${unique()}`);
    expect(superseded.status).toBe(400);
    expect((await readProblem(superseded)).type).toBe("urn:edge-commerce:problem:invalid_reset_token");
    await login(account);
    expect((await confirm(second, `a new and unusual passphrase ${unique()}`)).status).toBe(204);
  });

  it("unknown tokens get one generic 400; the new password follows the usual rules", async () => {
    expect((await confirm("not-a-token", "a fine passphrase")).status).toBe(400);
    const account = await registerAccount();
    await requestReset(account.email);
    const token = await tokenFromLatestEmail(account.email);
    expect((await confirm(token, "password1")).status).toBe(422);
    expect((await confirm(token, account.username)).status).toBe(422);
    expect((await confirm(token, "a fine new passphrase")).status).toBe(204);
  });

  it("a completed reset lifts the sign-in backoff and proves the email address", async () => {
    const account = await registerAccount();
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 12; i++) {
      await testClient().json("POST", "/api/auth/login", { username: account.username, password: "wrong guess" });
    }
    expect(
      (await testClient().json("POST", "/api/auth/login", { username: account.username, password: account.password }))
        .status,
    ).toBe(429);
    await requestReset(account.email);
    const newPassword = `a new and unusual passphrase ${unique()}`;
    expect((await confirm(await tokenFromLatestEmail(account.email), newPassword)).status).toBe(204);
    const tokens = await login({ ...account, password: newPassword });
    const me = await account.client.fetch("/api/users/me", { token: tokens.access_token });
    expect(await me.json()).toMatchObject({ email_verified: true });
  });
});

describe("password reset throttling", () => {
  it("per address: after 3 requests, further ones wait, for known and unknown addresses alike", async () => {
    const account = await registerAccount();
    const unknown = `${unique("nobody")}@shop.test`;
    vi.useFakeTimers({ toFake: ["Date"] });
    const known = [];
    const missing = [];
    for (let i = 0; i < 5; i++) {
      known.push((await requestReset(account.email)).status);
      missing.push((await requestReset(unknown)).status);
    }
    expect(known).toEqual([202, 202, 202, 202, 429]);
    expect(missing).toEqual(known);
  });

  it(
    "per client: the 6th request in a minute gets 429 with Retry-After",
    async () => {
      await atStartOfRateLimitWindow();
      const ip = testClient().ip;
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await requestReset(`${unique("x")}@shop.test`, ip)).status);
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );
});
