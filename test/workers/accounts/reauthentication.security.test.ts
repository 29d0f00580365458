import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { accountTokens, users } from "../../../src/schema";
import {
  atStartOfRateLimitWindow,
  enableTwoFactor,
  latestEmail,
  RATE_LIMIT_TEST_TIMEOUT,
  signedInUser,
  type TestAccount,
  type Tokens,
  testClient,
  testDb,
  tokenFromLatestEmail,
  totpFor,
  unique,
} from "../support/accounts";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

const WRONG = "not my password at all";

function changePassword(account: TestAccount & { tokens: Tokens }) {
  return account.client.json(
    "POST",
    "/api/users/me/password",
    { current_password: account.password, new_password: `a changed passphrase ${unique()}` },
    account.tokens.access_token,
  );
}

/** Each account-changing request that asks for the current password, with a wrong one. */
const REAUTHENTICATING: { name: string; method: string; path: string; body: Record<string, string> }[] = [
  {
    name: "password change",
    method: "POST",
    path: "/api/users/me/password",
    body: { new_password: "a fresh and long passphrase" },
  },
  { name: "email change", method: "PATCH", path: "/api/users/me", body: { email: "moved@shop.test" } },
  { name: "account deletion", method: "DELETE", path: "/api/users/me", body: {} },
];

describe("wrong current passwords count on the account's sign-in backoff", () => {
  for (const endpoint of REAUTHENTICATING) {
    it(`${endpoint.name}: 11 wrong passwords are checked, then 429 with Retry-After, even with the right one`, async () => {
      const account = await signedInUser();
      const token = account.tokens.access_token;
      vi.useFakeTimers({ toFake: ["Date"] });
      const send = (password: string) =>
        testClient().json(endpoint.method, endpoint.path, { ...endpoint.body, current_password: password }, token);
      const burst = await Promise.all(Array.from({ length: 15 }, () => send(WRONG)));
      const statuses = burst.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 403)).toHaveLength(11);
      expect(statuses.filter((status) => status === 429)).toHaveLength(4);
      const held = await send(account.password);
      expect(held.status).toBe(429);
      expect(held.headers.get("retry-after")).toBe("1");
      expect((await readProblem(held)).type).toBe("urn:edge-commerce:problem:reauthentication_backoff");
      // The same guard as sign-in: a new client signing in waits too.
      const signIn = await testClient().json("POST", "/api/auth/login", {
        username: account.username,
        password: account.password,
      });
      expect(signIn.status).toBe(429);
      const [stored] = await testDb().select().from(users).where(eq(users.id, account.id));
      expect(stored?.deletedAt).toBeNull();
    });
  }

  it("wrong codes when turning 2FA off count too", async () => {
    const account = await signedInUser();
    await enableTwoFactor(account, account.tokens.access_token);
    vi.useFakeTimers({ toFake: ["Date"] });
    const send = () =>
      testClient().json(
        "POST",
        "/api/users/me/2fa/disable",
        { current_password: account.password, code: "000000" },
        account.tokens.access_token,
      );
    const burst = await Promise.all(Array.from({ length: 14 }, send));
    expect(burst.filter((response) => response.status === 403)).toHaveLength(11);
    expect(burst.filter((response) => response.status === 429)).toHaveLength(3);
  });
});

describe("turning 2FA on needs the password", () => {
  it("without it 422, with a wrong one 403 invalid_current_password; 2FA stays off", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const setup = await account.client.fetch("/api/users/me/2fa/setup", { method: "POST", token });
    const { secret } = (await setup.json()) as { secret: string };
    const code = await totpFor(secret);
    const missing = await account.client.json("POST", "/api/users/me/2fa/enable", { code }, token);
    expect(missing.status).toBe(422);
    expect((await readProblem(missing)).errors).toEqual([expect.objectContaining({ path: "body.current_password" })]);
    const wrong = await account.client.json(
      "POST",
      "/api/users/me/2fa/enable",
      { code, current_password: WRONG },
      token,
    );
    expect(wrong.status).toBe(403);
    expect((await readProblem(wrong)).type).toBe("urn:edge-commerce:problem:invalid_current_password");
    const [stored] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(stored?.totpEnabledAt).toBeNull();
    expect(stored?.totpSecret).toBeNull();
  });
});

describe("a password reset of an account with 2FA needs the second factor", () => {
  async function resetLink(email: string) {
    await testClient().json("POST", "/api/auth/password-reset", { email });
    return tokenFromLatestEmail(email);
  }
  const confirm = (body: Record<string, string>) => testClient().json("POST", "/api/auth/password-reset/confirm", body);

  it("the link alone: 401 mfa_required and the link still works; a wrong code 401 mfa_invalid; a right one 204", async () => {
    const account = await signedInUser();
    const { secret } = await enableTwoFactor(account, account.tokens.access_token);
    const token = await resetLink(account.email);
    const new_password = `a new and unusual passphrase ${unique()}`;

    const alone = await confirm({ token, new_password });
    expect(alone.status).toBe(401);
    expect((await readProblem(alone)).type).toBe("urn:edge-commerce:problem:mfa_required");
    const wrong = await confirm({ token, new_password, otp: "000000" });
    expect(wrong.status).toBe(401);
    expect((await readProblem(wrong)).type).toBe("urn:edge-commerce:problem:mfa_invalid");
    const [before] = await testDb().select().from(users).where(eq(users.id, account.id));

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31_000);
    const right = await confirm({ token, new_password, otp: await totpFor(secret) });
    expect(right.status, await right.clone().text()).toBe(204);
    const [after] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(after?.passwordHash).not.toBe(before?.passwordHash);
    // 2FA stays on: the new password alone does not sign in.
    const signIn = await testClient().json("POST", "/api/auth/login", {
      username: account.username,
      password: new_password,
    });
    expect((await readProblem(signIn)).type).toBe("urn:edge-commerce:problem:mfa_required");
  });

  it("a recovery code works instead, and is spent", async () => {
    const account = await signedInUser();
    const { recoveryCodes } = await enableTwoFactor(account, account.tokens.access_token);
    const token = await resetLink(account.email);
    const recovery_code = recoveryCodes[0] ?? "";
    const new_password = `a new and unusual passphrase ${unique()}`;
    expect((await confirm({ token, new_password, recovery_code })).status).toBe(204);
    const reused = await testClient().json("POST", "/api/auth/login", {
      username: account.username,
      password: new_password,
      recovery_code,
    });
    expect((await readProblem(reused)).type).toBe("urn:edge-commerce:problem:mfa_invalid");
  });
});

describe("reset and verification links die with what they were sent for", () => {
  async function outstandingLinks(userId: string) {
    return testDb()
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, userId), isNull(accountTokens.usedAt)));
  }

  it("a reset link asked for before a password change no longer sets a password", async () => {
    const account = await signedInUser();
    await testClient().json("POST", "/api/auth/password-reset", { email: account.email });
    const token = await tokenFromLatestEmail(account.email);
    expect((await changePassword(account)).status).toBe(204);
    expect(await outstandingLinks(account.id)).toEqual([]);
    const stale = await testClient().json("POST", "/api/auth/password-reset/confirm", {
      token,
      new_password: `the attacker's passphrase ${unique()}`,
    });
    expect(stale.status).toBe(400);
    expect((await readProblem(stale)).type).toBe("urn:edge-commerce:problem:invalid_reset_token");
  });

  it("an email change voids earlier links and tells the old address; only the new address's link is left", async () => {
    const account = await signedInUser();
    await testClient().json("POST", "/api/auth/password-reset", { email: account.email });
    const token = await tokenFromLatestEmail(account.email);
    const moved = `${unique("moved")}@shop.test`;
    const changed = await account.client.json(
      "PATCH",
      "/api/users/me",
      { email: moved, current_password: account.password },
      account.tokens.access_token,
    );
    expect(changed.status).toBe(200);
    const stale = await testClient().json("POST", "/api/auth/password-reset/confirm", {
      token,
      new_password: `the attacker's passphrase ${unique()}`,
    });
    expect(stale.status).toBe(400);
    const notice = await latestEmail(account.email);
    expect(notice?.subject).toMatch(/email address of your .* account was changed/);
    expect(notice?.text).toContain(`${moved.slice(0, 1)}***@shop.test`);
    expect(notice?.text).not.toContain(moved);
    const left = await outstandingLinks(account.id);
    expect(left.map((link) => [link.purpose, link.email])).toEqual([["email_verification", moved]]);
  });
});

describe("profile changes are limited per client (a 409 tells whether a name is taken)", () => {
  it(
    "the 6th username probe in a minute from one client gets 429",
    async () => {
      await atStartOfRateLimitWindow();
      const account = await signedInUser();
      const client = testClient();
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        const response = await client.json(
          "PATCH",
          "/api/users/me",
          { username: unique("probe") },
          account.tokens.access_token,
        );
        statuses.push(response.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );
});

describe("strangers at the sign-in form cannot block the owner's own changes", () => {
  it("after a burst of wrong sign-ins, the signed-in owner still changes the password", async () => {
    const account = await signedInUser();
    vi.useFakeTimers({ toFake: ["Date"] });
    const burst = await Promise.all(
      Array.from({ length: 15 }, () =>
        testClient().json("POST", "/api/auth/login", { username: account.username, password: WRONG }),
      ),
    );
    expect(burst.filter((response) => response.status === 429).length).toBeGreaterThan(0);
    expect((await changePassword(account)).status).toBe(204);
  });

  it("after a burst of wrong sign-ins, the owner of a 2FA account still completes a reset with a code", async () => {
    const account = await signedInUser();
    const { secret } = await enableTwoFactor(account, account.tokens.access_token);
    await testClient().json("POST", "/api/auth/password-reset", { email: account.email });
    const token = await tokenFromLatestEmail(account.email);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31_000);
    await Promise.all(
      Array.from({ length: 15 }, () =>
        testClient().json("POST", "/api/auth/login", { username: account.email, password: WRONG }),
      ),
    );
    const reset = await testClient().json("POST", "/api/auth/password-reset/confirm", {
      token,
      new_password: `a new and unusual passphrase ${unique()}`,
      otp: await totpFor(secret),
    });
    expect(reset.status, await reset.clone().text()).toBe(204);
  });
});
