import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import { registerAccount, signedInUser, testClient, testDb } from "../support/accounts";
import { readProblem } from "../support/worker";

async function storedUser(id: string) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  if (!row) throw new Error(`no user ${id}`);
  return row;
}

describe("profile changes that are refused", () => {
  it("role, is_active, email_verified, password_hash and __proto__ → 422 naming the field; the account is untouched", async () => {
    const account = await signedInUser();
    const before = await storedUser(account.id);
    const token = account.tokens.access_token;
    // Each body also carries a valid change, so the only reason left to refuse it is the unknown field.
    const attempts: [field: string, body: string][] = [
      ["role", JSON.stringify({ full_name: "Mallory", role: "admin" })],
      ["is_active", JSON.stringify({ full_name: "Mallory", is_active: false })],
      ["email_verified", JSON.stringify({ full_name: "Mallory", email_verified: true })],
      ["password_hash", JSON.stringify({ full_name: "Mallory", password_hash: "x" })],
      ["__proto__", '{"full_name":"Mallory","__proto__":{"role":"admin"}}'],
    ];
    for (const [field, body] of attempts) {
      const response = await account.client.fetch("/api/users/me", {
        method: "PATCH",
        token,
        headers: { "content-type": "application/json" },
        body,
      });
      expect(response.status, body).toBe(422);
      const problem = await readProblem(response);
      expect(problem.type, body).toBe("urn:edge-commerce:problem:validation_error");
      expect(problem.errors, body).toContainEqual({ path: `body.${field}`, message: "Unknown field" });
    }
    expect(await storedUser(account.id)).toEqual(before);
    expect(await (await account.client.fetch("/api/users/me", { token })).json()).toMatchObject({
      role: "user",
      is_active: true,
      email_verified: false,
      full_name: null,
    });
  });

  it("an email change needs the current password: missing → 422, wrong → 403; the email stays", async () => {
    const account = await signedInUser();
    const email = `${account.username}x@shop.test`;
    const missing = await account.client.json("PATCH", "/api/users/me", { email }, account.tokens.access_token);
    expect(missing.status).toBe(422);
    expect((await readProblem(missing)).errors?.map((error) => error.path)).toContain("body.current_password");
    const wrong = await account.client.json(
      "PATCH",
      "/api/users/me",
      { email, current_password: "not the password" },
      account.tokens.access_token,
    );
    expect(wrong.status).toBe(403);
    expect((await readProblem(wrong)).type).toBe("urn:edge-commerce:problem:invalid_current_password");
    expect((await storedUser(account.id)).email).toBe(account.email);
  });

  it("a username or email already taken → 409 account_conflict; the username stays", async () => {
    const taken = await registerAccount();
    const account = await signedInUser();
    const response = await account.client.json(
      "PATCH",
      "/api/users/me",
      { username: taken.username.toUpperCase() },
      account.tokens.access_token,
    );
    expect(response.status).toBe(409);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:account_conflict");
    expect((await storedUser(account.id)).username).toBe(account.username);
  });

  it("password change: wrong current password → 403, weak or common new password → 422; the hash stays", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    const { passwordHash } = await storedUser(account.id);
    const wrong = await account.client.json(
      "POST",
      "/api/users/me/password",
      { current_password: "nope nope nope", new_password: "a fine new passphrase" },
      token,
    );
    expect(wrong.status).toBe(403);
    expect((await readProblem(wrong)).type).toBe("urn:edge-commerce:problem:invalid_current_password");
    for (const new_password of ["short", "password123", account.username]) {
      const response = await account.client.json(
        "POST",
        "/api/users/me/password",
        { current_password: account.password, new_password },
        token,
      );
      expect(response.status, new_password).toBe(422);
      expect(
        (await readProblem(response)).errors?.map((error) => error.path),
        new_password,
      ).toContain("body.new_password");
    }
    expect((await storedUser(account.id)).passwordHash).toBe(passwordHash);
    const signIn = await testClient().json("POST", "/api/auth/login", {
      username: account.username,
      password: account.password,
    });
    expect(signIn.status).toBe(200);
  });

  it("account deletion with a wrong password → 403 and nothing happens", async () => {
    const account = await signedInUser();
    const before = await storedUser(account.id);
    const response = await account.client.fetch("/api/users/me", {
      method: "DELETE",
      token: account.tokens.access_token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ current_password: "wrong password here" }),
    });
    expect(response.status).toBe(403);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:invalid_current_password");
    expect(await storedUser(account.id)).toEqual(before);
    expect((await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).status).toBe(200);
  });
});
