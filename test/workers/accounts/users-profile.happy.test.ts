import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import { login, registerAccount, signedInUser, testClient, testDb, unique } from "../support/accounts";

describe("the signed-in user's profile", () => {
  it("GET /api/users/me returns the public user and is never cached", async () => {
    const account = await signedInUser();
    const response = await account.client.fetch("/api/users/me", { token: account.tokens.access_token });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: account.id, email: account.email, role: "user" });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/);
  });

  it("PATCH changes the name and username without a password", async () => {
    const account = await signedInUser();
    const username = unique("renamed");
    const response = await account.client.json(
      "PATCH",
      "/api/users/me",
      { full_name: "Grace Hopper", username },
      account.tokens.access_token,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ full_name: "Grace Hopper", username });
    const cleared = await account.client.json(
      "PATCH",
      "/api/users/me",
      { full_name: null },
      account.tokens.access_token,
    );
    expect(await cleared.json()).toMatchObject({ full_name: null });
  });

  it("PATCH changes the email with the current password", async () => {
    const account = await signedInUser();
    const email = `${unique("moved")}@Shop.test`;
    const response = await account.client.json(
      "PATCH",
      "/api/users/me",
      { email, current_password: account.password },
      account.tokens.access_token,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: email.toLowerCase() });
  });

  it("changing the password keeps this session, revokes the others, and only the new password signs in", async () => {
    const account = await signedInUser();
    const other = await login(account);
    const newPassword = `a brand new passphrase ${unique()}`;
    const response = await account.client.json(
      "POST",
      "/api/users/me/password",
      { current_password: account.password, new_password: newPassword },
      account.tokens.access_token,
    );
    expect(response.status).toBe(204);
    expect((await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).status).toBe(200);
    expect((await account.client.fetch("/api/users/me", { token: other.access_token })).status).toBe(401);
    const oldPassword = await testClient().json("POST", "/api/auth/login", {
      username: account.username,
      password: account.password,
    });
    expect(oldPassword.status).toBe(401);
    await login({ ...account, password: newPassword });
  });

  it("deleting the account revokes its sessions, scrubs its personal data and frees its email and username", async () => {
    const account = await signedInUser();
    const response = await account.client.fetch("/api/users/me", {
      method: "DELETE",
      token: account.tokens.access_token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ current_password: account.password }),
    });
    expect(response.status).toBe(204);
    expect((await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).status).toBe(401);
    const signIn = await testClient().json("POST", "/api/auth/login", {
      username: account.email,
      password: account.password,
    });
    expect(signIn.status).toBe(401);

    const [row] = await testDb().select().from(users).where(eq(users.id, account.id));
    expect(row).toMatchObject({ isActive: false, fullName: null });
    expect(row?.deletedAt).not.toBeNull();
    expect(row?.email).not.toContain(account.username);

    await registerAccount({ email: account.email, username: account.username });
  });
});
