import { describe, expect, it } from "vitest";
import {
  latestEmail,
  login,
  registerAccount,
  signedInUser,
  testClient,
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
    const oldToken = await tokenFromLatestEmail(account.email);
    await verify(oldToken);
    const tokens = await login(account);
    const pending = await tokenFromLatestEmail(account.email);
    const newEmail = `${unique("moved")}@shop.test`;
    const changed = await account.client.json(
      "PATCH",
      "/api/users/me",
      { email: newEmail, current_password: account.password },
      tokens.access_token,
    );
    expect(await changed.json()).toMatchObject({ email: newEmail, email_verified: false });
    expect((await verify(pending)).status).toBe(400);
    expect((await verify(await tokenFromLatestEmail(newEmail))).status).toBe(200);
  });

  it("a resend needs a signed-in user", async () => {
    expect((await testClient().fetch("/api/auth/verify-email/resend", { method: "POST" })).status).toBe(401);
  });
});
