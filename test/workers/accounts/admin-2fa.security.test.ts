import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../../src/schema";
import {
  enableTwoFactor,
  signedInAdmin,
  type TestAccount,
  type Tokens,
  testClient,
  testDb,
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

async function expectTwoFactorRequired(response: Response) {
  expect(response.status).toBe(403);
  expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:admin_2fa_required");
}

/** The reasons recorded for this admin's refused admin requests. */
async function deniedReasons(adminId: string): Promise<unknown[]> {
  const rows = await testDb()
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "admin.access_denied"), eq(auditEvents.actorId, adminId)));
  return rows.map((row) => row.details?.reason);
}

describe("ADMIN_REQUIRE_2FA", () => {
  it("an admin without 2FA gets 403 admin_2fa_required on admin routes, but can still enrol", async () => {
    const admin = await signedInAdmin();
    await expectTwoFactorRequired(await asAdmin(admin.tokens.access_token));
    expect(await deniedReasons(admin.id)).toEqual(["admin_2fa_required"]);

    const setup = await asAdmin(admin.tokens.access_token, "/api/users/me/2fa/setup", { method: "POST" });
    expect(setup.status).toBe(200);
  });

  it("after enabling 2FA, a password-only session is still refused; a session signed in with a code is allowed", async () => {
    const admin = await signedInAdmin();
    const { secret } = await enableTwoFactor(admin, admin.tokens.access_token);
    // Enrolling is not enough: this session was proved by the password alone.
    await expectTwoFactorRequired(await asAdmin(admin.tokens.access_token));
    expect(await deniedReasons(admin.id)).toEqual(["admin_2fa_required"]);

    const signIn = await signInWith(admin, { otp: await totpFor(secret, 1) });
    expect(signIn.status).toBe(200);
    const { access_token } = (await signIn.json()) as Tokens;
    const allowed = await asAdmin(access_token);
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect(await deniedReasons(admin.id)).toHaveLength(1);
  });

  it("is off in this test configuration, as in development", async () => {
    const admin = await signedInAdmin();
    expect((await admin.client.fetch("/api/admin/users", { token: admin.tokens.access_token })).status).toBe(200);
  });
});
