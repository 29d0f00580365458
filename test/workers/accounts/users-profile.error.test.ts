import { describe, expect, it } from "vitest";
import { registerAccount, signedInUser } from "../support/accounts";
import { readProblem } from "../support/worker";

describe("profile changes that are refused", () => {
  it("role, is_active and other unknown fields → 422", async () => {
    const account = await signedInUser();
    for (const body of [{ role: "admin" }, { is_active: true }, { full_name: "x", password_hash: "x" }]) {
      const response = await account.client.json("PATCH", "/api/users/me", body, account.tokens.access_token);
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
  });

  it("an email change needs the current password: missing → 422, wrong → 403", async () => {
    const account = await signedInUser();
    const email = `${account.username}x@shop.test`;
    const missing = await account.client.json("PATCH", "/api/users/me", { email }, account.tokens.access_token);
    expect(missing.status).toBe(422);
    const wrong = await account.client.json(
      "PATCH",
      "/api/users/me",
      { email, current_password: "not the password" },
      account.tokens.access_token,
    );
    expect(wrong.status).toBe(403);
    expect((await readProblem(wrong)).type).toBe("urn:edge-commerce:problem:invalid_current_password");
  });

  it("a username or email already taken → 409", async () => {
    const taken = await registerAccount();
    const account = await signedInUser();
    const response = await account.client.json(
      "PATCH",
      "/api/users/me",
      { username: taken.username.toUpperCase() },
      account.tokens.access_token,
    );
    expect(response.status).toBe(409);
  });

  it("password change: wrong current password → 403, weak or common new password → 422", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const wrong = await account.client.json(
      "POST",
      "/api/users/me/password",
      { current_password: "nope nope nope", new_password: "a fine new passphrase" },
      token,
    );
    expect(wrong.status).toBe(403);
    for (const new_password of ["short", "password123", account.username]) {
      const response = await account.client.json(
        "POST",
        "/api/users/me/password",
        { current_password: account.password, new_password },
        token,
      );
      expect(response.status, new_password).toBe(422);
    }
  });

  it("account deletion with a wrong password → 403 and nothing happens", async () => {
    const account = await signedInUser();
    const response = await account.client.fetch("/api/users/me", {
      method: "DELETE",
      token: account.tokens.access_token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ current_password: "wrong password here" }),
    });
    expect(response.status).toBe(403);
    expect((await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).status).toBe(200);
  });
});
