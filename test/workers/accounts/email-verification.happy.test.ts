import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountTokens } from "../../../src/schema";
import {
  latestEmail,
  registerAccount,
  signedInUser,
  testClient,
  testDb,
  tokenFromLatestEmail,
  unique,
} from "../support/accounts";
import { readProblem } from "../support/worker";

function verify(token: string) {
  return testClient().json("POST", "/api/auth/verify-email", { token });
}

describe("email verification", () => {
  it("registration sends a link; the token marks the email verified once", async () => {
    const account = await registerAccount();
    const message = await latestEmail(account.email);
    expect(message?.subject).toMatch(/Confirm your/);
    expect(message?.text).toMatch(/^https:\/\/shop\.test\/verify-email#token=[\w-]{43}$/m);
    const token = await tokenFromLatestEmail(account.email);

    const verified = await verify(token);
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ id: account.id, email_verified: true });
    const again = await verify(token);
    expect(again.status).toBe(400);
    expect((await readProblem(again)).type).toBe("urn:edge-commerce:problem:invalid_verification_token");
  });

  it("the token is stored only as its SHA-256, bound to the address it was sent to, for 24 hours", async () => {
    const account = await registerAccount();
    const token = await tokenFromLatestEmail(account.email);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
    const sha256 = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    const rows = await testDb()
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, account.id), eq(accountTokens.purpose, "email_verification")));
    expect(rows.map((row) => ({ tokenHash: row.tokenHash, email: row.email }))).toEqual([
      { tokenHash: sha256, email: account.email },
    ]);
    expect(JSON.stringify(rows)).not.toContain(token);
    const [row] = rows;
    expect(Date.parse(row?.expiresAt ?? "") - Date.parse(row?.createdAt ?? "")).toBe(24 * 60 * 60 * 1000);
  });

  it("resend sends a new link (superseding the old one) and is refused once verified", async () => {
    const account = await signedInUser();
    const first = await tokenFromLatestEmail(account.email);
    const resend = await account.client.fetch("/api/auth/verify-email/resend", {
      method: "POST",
      token: account.tokens.access_token,
    });
    expect(resend.status).toBe(202);
    const second = await tokenFromLatestEmail(account.email);
    expect(second).not.toBe(first);
    expect((await verify(first)).status).toBe(400);
    expect((await verify(second)).status).toBe(200);
    const refused = await account.client.fetch("/api/auth/verify-email/resend", {
      method: "POST",
      token: account.tokens.access_token,
    });
    expect(refused.status).toBe(409);
  });

  it("changing the email resets verification and sends a link to the new address; the old link no longer verifies", async () => {
    const account = await signedInUser();
    expect((await verify(await tokenFromLatestEmail(account.email))).status).toBe(200);
    const newEmail = `${unique("moved")}@shop.test`;
    const changed = await account.client.json(
      "PATCH",
      "/api/users/me",
      { email: newEmail, current_password: account.password },
      account.tokens.access_token,
    );
    expect(await changed.json()).toMatchObject({ email: newEmail, email_verified: false });
    const me = async () => (await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).json();

    // A still-unspent link to the old address (as if it had been issued just before the change): spending it
    // must not confirm the new address.
    const oldLink = unique("old-address-link");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(oldLink)));
    const now = Date.now();
    await testDb()
      .insert(accountTokens)
      .values({
        tokenHash: [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join(""),
        userId: account.id,
        purpose: "email_verification",
        email: account.email,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60 * 60 * 1000).toISOString(),
      });
    const refused = await verify(oldLink);
    expect(refused.status).toBe(400);
    expect((await readProblem(refused)).type).toBe("urn:edge-commerce:problem:invalid_verification_token");
    expect(await me()).toMatchObject({ email: newEmail, email_verified: false });

    expect((await verify(await tokenFromLatestEmail(newEmail))).status).toBe(200);
    expect(await me()).toMatchObject({ email: newEmail, email_verified: true });
  });

  it("a resend needs a signed-in user", async () => {
    expect((await testClient().fetch("/api/auth/verify-email/resend", { method: "POST" })).status).toBe(401);
  });
});
