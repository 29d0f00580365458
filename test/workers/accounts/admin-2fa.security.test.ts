import { describe, expect, it } from "vitest";
import {
  enableTwoFactor,
  signedInAdmin,
  type TestAccount,
  type Tokens,
  testClient,
  totpFor,
} from "../support/accounts";
import { callWorkerWith, readProblem } from "../support/worker";

const REQUIRE_2FA = { ADMIN_REQUIRE_2FA: "true" };

function asAdmin(token: string, path = "/api/admin/users", init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  headers.set("CF-Connecting-IP", testClient().ip);
  return callWorkerWith(REQUIRE_2FA, path, { ...init, headers });
}

async function signInWith(account: TestAccount, extra: Record<string, string> = {}): Promise<Response> {
  return callWorkerWith(REQUIRE_2FA, "/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "CF-Connecting-IP": testClient().ip },
    body: JSON.stringify({ username: account.username, password: account.password, ...extra }),
  });
}

describe("ADMIN_REQUIRE_2FA", () => {
  it("an admin without 2FA gets 403 admin_2fa_required on admin routes, but can still enrol", async () => {
    const admin = await signedInAdmin();
    const blocked = await asAdmin(admin.tokens.access_token);
    expect(blocked.status).toBe(403);
    expect((await readProblem(blocked)).type).toBe("urn:edge-commerce:problem:admin_2fa_required");

    const setup = await asAdmin(admin.tokens.access_token, "/api/users/me/2fa/setup", { method: "POST" });
    expect(setup.status).toBe(200);
  });

  it("after enabling 2FA, a password-only session is still refused; a session signed in with a code is allowed", async () => {
    const admin = await signedInAdmin();
    const { secret } = await enableTwoFactor(admin, admin.tokens.access_token);
    expect((await asAdmin(admin.tokens.access_token)).status).toBe(403);

    const signIn = await signInWith(admin, { otp: await totpFor(secret, 1) });
    expect(signIn.status).toBe(200);
    const { access_token } = (await signIn.json()) as Tokens;
    expect((await asAdmin(access_token)).status).toBe(200);
  });

  it("is off in this test configuration, as in development", async () => {
    const admin = await signedInAdmin();
    expect((await admin.client.fetch("/api/admin/users", { token: admin.tokens.access_token })).status).toBe(200);
  });
});
