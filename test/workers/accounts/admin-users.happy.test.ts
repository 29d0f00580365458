import { describe, expect, it } from "vitest";
import { registerAccount, signedInAdmin, signedInUser, unique } from "../support/accounts";
import { readProblem } from "../support/worker";

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
interface AdminUser {
  id: string;
  email: string;
  username: string;
  role: string;
  is_active: boolean;
  deleted_at: string | null;
}

describe("admin: users", () => {
  it("searches by part of the email or username, literally, and pages with a cursor", async () => {
    const admin = await signedInAdmin();
    const tag = unique("tag");
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(await registerAccount({ username: `${tag}${i}`, email: `${tag}${i}@shop.test` }));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/admin/users?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await admin.client.fetch(query, { token: admin.tokens.access_token });
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page<AdminUser>;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((user) => user.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(created.map((account) => account.id).sort());

    const wildcard = await admin.client.fetch(`/api/admin/users?q=${encodeURIComponent("%")}`, {
      token: admin.tokens.access_token,
    });
    expect(((await wildcard.json()) as Page<AdminUser>).data).toEqual([]);
  });

  it("refuses a limit over 100 and a forged cursor", async () => {
    const admin = await signedInAdmin();
    for (const query of ["limit=101", "limit=0", "limit=abc", "cursor=not-a-cursor"]) {
      const response = await admin.client.fetch(`/api/admin/users?${query}`, { token: admin.tokens.access_token });
      expect(response.status, query).toBe(422);
    }
  });

  it("shows one user, never the password hash; an unknown id is 404", async () => {
    const admin = await signedInAdmin();
    const account = await registerAccount();
    const response = await admin.client.fetch(`/api/admin/users/${account.id}`, { token: admin.tokens.access_token });
    const user = (await response.json()) as AdminUser;
    expect(user).toMatchObject({ id: account.id, deleted_at: null });
    expect(JSON.stringify(user)).not.toContain("argon2");
    const missing = await admin.client.fetch("/api/admin/users/usr_missing", { token: admin.tokens.access_token });
    expect(missing.status).toBe(404);
  });

  it("deactivation takes effect on the user's existing tokens at once; reactivation lets them sign in again", async () => {
    const admin = await signedInAdmin();
    const user = await signedInUser();
    const deactivate = await admin.client.json(
      "PATCH",
      `/api/admin/users/${user.id}`,
      { is_active: false },
      admin.tokens.access_token,
    );
    expect(deactivate.status).toBe(200);
    expect(await deactivate.json()).toMatchObject({ is_active: false });
    expect((await user.client.fetch("/api/users/me", { token: user.tokens.access_token })).status).toBe(401);

    await admin.client.json("PATCH", `/api/admin/users/${user.id}`, { is_active: true }, admin.tokens.access_token);
    const signIn = await user.client.json("POST", "/api/auth/login", {
      username: user.username,
      password: user.password,
    });
    expect(signIn.status).toBe(200);
  });

  it("promotion makes an admin after a new sign-in", async () => {
    const admin = await signedInAdmin();
    const user = await signedInUser();
    await admin.client.json("PATCH", `/api/admin/users/${user.id}`, { role: "admin" }, admin.tokens.access_token);
    const signIn = await user.client.json("POST", "/api/auth/login", {
      username: user.username,
      password: user.password,
    });
    const { access_token } = (await signIn.json()) as { access_token: string };
    expect((await user.client.fetch("/api/admin/users", { token: access_token })).status).toBe(200);
  });

  it("an admin cannot demote or deactivate themself", async () => {
    const admin = await signedInAdmin();
    for (const body of [{ role: "user" }, { is_active: false }]) {
      const response = await admin.client.json(
        "PATCH",
        `/api/admin/users/${admin.id}`,
        body,
        admin.tokens.access_token,
      );
      expect(response.status, JSON.stringify(body)).toBe(409);
      expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:cannot_modify_self");
    }
  });

  it("refuses unknown fields and bad values, naming the field, and changes nothing", async () => {
    const admin = await signedInAdmin();
    const account = await registerAccount();
    // `is_active: true` is a valid change: only the field named is left to refuse each body for.
    for (const [field, body] of [
      ["role", { role: "superuser" }],
      ["is_active", { is_active: "false" }],
      ["email", { is_active: true, email: "x@shop.test" }],
      ["password_hash", { is_active: true, password_hash: "x" }],
    ] as const) {
      const response = await admin.client.json(
        "PATCH",
        `/api/admin/users/${account.id}`,
        body,
        admin.tokens.access_token,
      );
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(
        (await readProblem(response)).errors?.map((error) => error.path),
        JSON.stringify(body),
      ).toContain(`body.${field}`);
    }
    const empty = await admin.client.json("PATCH", `/api/admin/users/${account.id}`, {}, admin.tokens.access_token);
    expect(empty.status).toBe(422);
    const after = await admin.client.fetch(`/api/admin/users/${account.id}`, { token: admin.tokens.access_token });
    expect(await after.json()).toMatchObject({ email: account.email, role: "user", is_active: true });
  });
});
