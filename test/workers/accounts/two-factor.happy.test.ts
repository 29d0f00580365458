import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents, recoveryCodes, users } from "../../../src/schema";
import {
  decodeJwtPayload,
  enableTwoFactor,
  registerAccount,
  signedInUser,
  type TestAccount,
  type Tokens,
  testClient,
  testDb,
  totpFor,
} from "../support/accounts";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

function signIn(account: TestAccount, extra: Record<string, string> = {}) {
  return testClient().json("POST", "/api/auth/login", {
    username: account.username,
    password: account.password,
    ...extra,
  });
}

/** What the database should hold for a recovery code: the SHA-256 of its 16 characters, never the code. */
async function storedFormOf(code: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code.replace(/-/g, "")));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function storedRecoveryCodes(userId: string) {
  return testDb().select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

/** A refused second factor: 401 `mfa_invalid` (the password was right, the code was not) and no tokens. */
async function expectSecondFactorRefused(response: Response, label = "") {
  expect(response.status, label).toBe(401);
  const text = await response.clone().text();
  expect(text, label).not.toContain("access_token");
  expect((await readProblem(response)).type, label).toBe("urn:edge-commerce:problem:mfa_invalid");
}

describe("enrolling in TOTP two-factor authentication", () => {
  it("setup gives a 160-bit base32 secret and an otpauth URI; the database keeps it sealed, never in the clear", async () => {
    const account = await signedInUser();
    const response = await account.client.fetch("/api/users/me/2fa/setup", {
      method: "POST",
      token: account.tokens.access_token,
    });
    const { secret, otpauth_uri } = (await response.json()) as { secret: string; otpauth_uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauth_uri).toContain(`secret=${secret}`);

    const [pending] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(pending?.totpPendingSecret).toMatch(/^v1\./);
    expect(JSON.stringify(pending)).not.toContain(secret);
    expect(pending?.totpEnabledAt).toBeNull();

    await account.client.json(
      "POST",
      "/api/users/me/2fa/enable",
      { code: await totpFor(secret), current_password: account.password },
      account.tokens.access_token,
    );
    const [enabled] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(enabled?.totpSecret).toMatch(/^v1\./);
    expect(JSON.stringify(enabled)).not.toContain(secret);
  });

  it("enable needs a right code, returns 10 distinct recovery codes once, and the user shows two_factor_enabled", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const setup = await account.client.fetch("/api/users/me/2fa/setup", { method: "POST", token });
    const { secret } = (await setup.json()) as { secret: string };
    const wrong = await account.client.json(
      "POST",
      "/api/users/me/2fa/enable",
      { code: await totpFor(secret, 5), current_password: account.password },
      token,
    );
    expect(wrong.status).toBe(403);
    expect((await readProblem(wrong)).type).toBe("urn:edge-commerce:problem:invalid_code");
    const [notYet] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(notYet?.totpEnabledAt).toBeNull();
    const enable = await account.client.json(
      "POST",
      "/api/users/me/2fa/enable",
      { code: await totpFor(secret), current_password: account.password },
      token,
    );
    const { recovery_codes } = (await enable.json()) as { recovery_codes: string[] };
    expect(recovery_codes).toHaveLength(10);
    expect(new Set(recovery_codes).size).toBe(10);
    for (const code of recovery_codes) expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    const stored = await storedRecoveryCodes(account.id);
    expect(stored.map((row) => row.codeHash).sort()).toEqual(
      (await Promise.all(recovery_codes.map(storedFormOf))).sort(),
    );
    for (const code of recovery_codes) expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ""));
    const me = await account.client.fetch("/api/users/me", { token });
    expect(await me.json()).toMatchObject({ two_factor_enabled: true });
    const again = await account.client.fetch("/api/users/me/2fa/setup", { method: "POST", token });
    expect(again.status).toBe(409);
  });
});

describe("signing in with two-factor authentication", () => {
  it("without a code: 401 mfa_required and no tokens; with a code: tokens that record amr pwd+otp", async () => {
    const account = await signedInUser();
    const { secret } = await enableTwoFactor(account, account.tokens.access_token);

    const withoutCode = await signIn(account);
    expect(withoutCode.status).toBe(401);
    const body = await withoutCode.text();
    expect(JSON.parse(body).type).toBe("urn:edge-commerce:problem:mfa_required");
    expect(body).not.toContain("access_token");

    const withCode = await signIn(account, { otp: await totpFor(secret, 1) });
    expect(withCode.status).toBe(200);
    const tokens = (await withCode.json()) as Tokens;
    expect(decodeJwtPayload(tokens.access_token).amr).toEqual(["pwd", "otp"]);
    // Refreshing keeps how the session was proved.
    const refreshed = await testClient().json("POST", "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    expect(decodeJwtPayload(((await refreshed.json()) as Tokens).access_token).amr).toEqual(["pwd", "otp"]);
  });

  it("a code is good once: the same code again is refused (replay)", async () => {
    const account = await signedInUser();
    const { secret } = await enableTwoFactor(account, account.tokens.access_token);
    const code = await totpFor(secret, 1);
    expect((await signIn(account, { otp: code })).status).toBe(200);
    await expectSecondFactorRefused(await signIn(account, { otp: code }));
  });

  it("the code from the enrolment step cannot be reused to sign in", async () => {
    const account = await signedInUser();
    const setup = await account.client.fetch("/api/users/me/2fa/setup", {
      method: "POST",
      token: account.tokens.access_token,
    });
    const { secret } = (await setup.json()) as { secret: string };
    const code = await totpFor(secret);
    await account.client.json(
      "POST",
      "/api/users/me/2fa/enable",
      { code, current_password: account.password },
      account.tokens.access_token,
    );
    await expectSecondFactorRefused(await signIn(account, { otp: code }));
  });

  it("accepts the codes of the previous and next 30-second steps, not older or newer ones", async () => {
    const account = await registerAccount();
    const tokens = (await (await signIn(account)).json()) as Tokens;
    const { secret } = await enableTwoFactor(account, tokens.access_token);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10 * 60 * 1000);
    await expectSecondFactorRefused(await signIn(account, { otp: await totpFor(secret, -2) }), "two steps back");
    await expectSecondFactorRefused(await signIn(account, { otp: await totpFor(secret, 2) }), "two steps ahead");
    expect((await signIn(account, { otp: await totpFor(secret, -1) })).status).toBe(200);
    expect((await signIn(account, { otp: await totpFor(secret, 1) })).status).toBe(200);
  });

  it("a recovery code signs in once (amr pwd+mfa) and is then spent", async () => {
    const account = await signedInUser();
    const { recoveryCodes } = await enableTwoFactor(account, account.tokens.access_token);
    const code = recoveryCodes[3] ?? "";
    const first = await signIn(account, { recovery_code: code.toLowerCase().replace(/-/g, " ") });
    expect(first.status).toBe(200);
    expect(decodeJwtPayload(((await first.json()) as Tokens).access_token).amr).toEqual(["pwd", "mfa"]);
    await expectSecondFactorRefused(await signIn(account, { recovery_code: code }));
    expect((await signIn(account, { recovery_code: recoveryCodes[4] ?? "" })).status).toBe(200);
  });

  it("wrong codes count toward the per-account backoff", async () => {
    const account = await signedInUser();
    await enableTwoFactor(account, account.tokens.access_token);
    const ip = testClient().ip;
    const wrongCode = () =>
      testClient(ip).json("POST", "/api/auth/login", {
        username: account.username,
        password: account.password,
        otp: "000000",
      });
    for (let i = 0; i < 4; i++) await expectSecondFactorRefused(await wrongCode(), `attempt ${i + 1}`);
    const slowed = await wrongCode();
    expect(slowed.status).toBe(429);
    expect((await readProblem(slowed)).type).toBe("urn:edge-commerce:problem:login_backoff");
  });
});

describe("turning two-factor authentication off, and new recovery codes", () => {
  it("disable needs the password and a code; afterwards sign-in needs no code", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const { secret } = await enableTwoFactor(account, token);
    const wrongPassword = await account.client.json(
      "POST",
      "/api/users/me/2fa/disable",
      { current_password: "not the password", code: await totpFor(secret, 1) },
      token,
    );
    expect(wrongPassword.status).toBe(403);
    expect((await readProblem(wrongPassword)).type).toBe("urn:edge-commerce:problem:invalid_current_password");
    const wrongCode = await account.client.json(
      "POST",
      "/api/users/me/2fa/disable",
      { current_password: account.password, code: "123456" },
      token,
    );
    expect(wrongCode.status).toBe(403);
    expect((await readProblem(wrongCode)).type).toBe("urn:edge-commerce:problem:invalid_code");
    // Both refusals left 2FA on: a password alone still does not sign in.
    expect((await readProblem(await signIn(account))).type).toBe("urn:edge-commerce:problem:mfa_required");
    const [stillOn] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(stillOn?.totpEnabledAt).not.toBeNull();
    const disabled = await account.client.json(
      "POST",
      "/api/users/me/2fa/disable",
      { current_password: account.password, code: await totpFor(secret, 1) },
      token,
    );
    expect(disabled.status).toBe(204);
    expect((await signIn(account)).status).toBe(200);
  });

  it("regenerating recovery codes invalidates the old ones", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const { secret, recoveryCodes } = await enableTwoFactor(account, token);
    const response = await account.client.json(
      "POST",
      "/api/users/me/2fa/recovery-codes",
      { current_password: account.password, code: await totpFor(secret, 1) },
      token,
    );
    expect(response.status).toBe(200);
    const { recovery_codes } = (await response.json()) as { recovery_codes: string[] };
    expect(recovery_codes).toHaveLength(10);
    // Replaced, not added to: only the new codes are stored.
    expect((await storedRecoveryCodes(account.id)).map((row) => row.codeHash).sort()).toEqual(
      (await Promise.all(recovery_codes.map(storedFormOf))).sort(),
    );
    await expectSecondFactorRefused(await signIn(account, { recovery_code: recoveryCodes[0] ?? "" }));
    expect((await signIn(account, { recovery_code: recovery_codes[0] ?? "" })).status).toBe(200);
  });
});

describe("two-factor changes are audited", () => {
  it("enable, recovery code use, regeneration and disable each leave an event", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const { secret, recoveryCodes } = await enableTwoFactor(account, token);
    await signIn(account, { recovery_code: recoveryCodes[0] ?? "" });
    await account.client.json(
      "POST",
      "/api/users/me/2fa/recovery-codes",
      { current_password: account.password, code: await totpFor(secret, 1) },
      token,
    );
    await account.client.json(
      "POST",
      "/api/users/me/2fa/disable",
      { current_password: account.password, code: recoveryCodes[1] ?? "" },
      token,
    );
    const events = await testDb()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, account.id));
    const actions = events.map((event) => event.action);
    for (const action of ["user.2fa_enabled", "auth.recovery_code_used", "user.recovery_codes_regenerated"]) {
      expect(actions, action).toContain(action);
    }
    // Regeneration replaced the old codes, so disabling with one of them failed.
    expect(actions).not.toContain("user.2fa_disabled");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 60 * 1000);
    const disabled = await account.client.json(
      "POST",
      "/api/users/me/2fa/disable",
      { current_password: account.password, code: await totpFor(secret) },
      token,
    );
    expect(disabled.status).toBe(204);
    const after = await testDb()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, account.id));
    expect(after.map((event) => event.action)).toContain("user.2fa_disabled");
  });
});
