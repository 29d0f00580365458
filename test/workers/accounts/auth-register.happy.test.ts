import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import { testClient, testDb, unique } from "../support/accounts";
import { callWorkerWith } from "../support/worker";

describe("POST /api/auth/register", () => {
  it("creates the account and answers 201 with the public user and a Location", async () => {
    const name = unique("ada");
    const response = await testClient().json("POST", "/api/auth/register", {
      email: `  ${name.toUpperCase()}@Shop.TEST `,
      username: name,
      password: "a long and unusual passphrase",
      full_name: "Ada Lovelace",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/api/users/me");
    const user = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(user).sort()).toEqual(
      [
        "created_at",
        "email",
        "email_verified",
        "full_name",
        "id",
        "is_active",
        "role",
        "two_factor_enabled",
        "updated_at",
        "username",
      ].sort(),
    );
    expect(user).toMatchObject({
      email: `${name}@shop.test`,
      username: name,
      full_name: "Ada Lovelace",
      role: "user",
      is_active: true,
      email_verified: false,
      two_factor_enabled: false,
    });
    expect(user.id).toMatch(/^usr_[0-9a-z]{25}$/);
    expect(user.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("accepts letters and digits of any script in usernames", async () => {
    for (const username of [
      `Zoë${unique().slice(0, 6)}`,
      `用户${unique().slice(0, 6)}`,
      `Ёжик${unique().slice(0, 6)}`,
    ]) {
      const response = await testClient().json("POST", "/api/auth/register", {
        email: `${unique("intl")}@shop.test`,
        username,
        password: "a long and unusual passphrase",
      });
      expect(response.status, username).toBe(201);
      expect(((await response.json()) as { username: string }).username).toBe(username.normalize("NFKC"));
    }
  });

  it("accepts passwords of exactly 8 and exactly 128 characters, counted as characters", async () => {
    for (const password of ["Zq9#vL2!", "ü".repeat(128)]) {
      const response = await testClient().json("POST", "/api/auth/register", {
        email: `${unique("len")}@shop.test`,
        username: unique("len"),
        password,
      });
      expect(response.status, password).toBe(201);
    }
  });

  it("stores an argon2id PHC string at OWASP parameters (m=19456, t=2, p=1) with a 16-byte salt, by default", async () => {
    const name = unique("phc");
    const response = await callWorkerWith(
      { ARGON2_MEMORY_KIB: undefined, ARGON2_ITERATIONS: undefined },
      "/api/auth/register",
      {
        method: "POST",
        headers: { "content-type": "application/json", "CF-Connecting-IP": "10.200.0.1" },
        body: JSON.stringify({ email: `${name}@shop.test`, username: name, password: "a long and unusual passphrase" }),
      },
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [row] = await testDb().select().from(users).where(eq(users.id, id));
    const match = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
      row?.passwordHash ?? "",
    );
    expect(match).not.toBeNull();
    expect(atob(`${match?.[1]}==`).length).toBe(16);
    expect(atob(`${match?.[2]}=`).length).toBe(32);
    expect(row?.passwordHash).not.toContain("a long and unusual passphrase");
  });
});
