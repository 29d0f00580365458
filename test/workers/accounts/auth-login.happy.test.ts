import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import { decodeJwtPayload, registerAccount, type Tokens, testClient, testDb } from "../support/accounts";
import { callWorkerWith } from "../support/worker";

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

describe("POST /api/auth/login (OAuth2 password grant)", () => {
  it("signs in with the OAuth2 form, by username in any case, and the token opens /api/users/me", async () => {
    const account = await registerAccount();
    const response = await account.client.fetch(
      "/api/auth/login",
      form({ grant_type: "password", username: account.username.toUpperCase(), password: account.password }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: "bearer",
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^ecrt_[\w-]{43}$/),
      device_token: expect.stringMatching(/^ecdv_[\w-]{22}\.[\w-]{43}$/),
    });
    const me = await account.client.fetch("/api/users/me", { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: account.id, username: account.username });
  });

  it("signs in with JSON by email", async () => {
    const account = await registerAccount();
    const response = await account.client.json("POST", "/api/auth/login", {
      username: account.email.toUpperCase(),
      password: account.password,
    });
    expect(response.status).toBe(200);
  });

  it("issues an HS256 access token with sub, sid, role, iat, exp, jti, iss, aud and typ", async () => {
    const account = await registerAccount();
    const response = await account.client.json("POST", "/api/auth/login", {
      username: account.username,
      password: account.password,
    });
    const { access_token } = (await response.json()) as Tokens;
    const header = JSON.parse(atob(access_token.split(".")[0] ?? ""));
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwtPayload(access_token);
    expect(claims).toEqual({
      sub: account.id,
      sid: expect.stringMatching(/^ses_/),
      role: "user",
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^jti_/),
      iss: "edge-commerce-api",
      aud: "edge-commerce-api",
      typ: "access",
      amr: ["pwd"],
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it("upgrades a hash weaker than the configured parameters at the next successful sign-in", async () => {
    const account = await registerAccount();
    const db = testDb();
    const [before] = await db.select().from(users).where(eq(users.id, account.id));
    expect(before?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);

    const response = await callWorkerWith(
      { ARGON2_MEMORY_KIB: undefined, ARGON2_ITERATIONS: undefined },
      "/api/auth/login",
      {
        method: "POST",
        headers: { "content-type": "application/json", "CF-Connecting-IP": testClient().ip },
        body: JSON.stringify({ username: account.username, password: account.password }),
      },
    );
    expect(response.status).toBe(200);
    const [after] = await db.select().from(users).where(eq(users.id, account.id));
    expect(after?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    // The upgraded hash still verifies the same password.
    const again = await callWorkerWith(
      { ARGON2_MEMORY_KIB: undefined, ARGON2_ITERATIONS: undefined },
      "/api/auth/login",
      {
        method: "POST",
        headers: { "content-type": "application/json", "CF-Connecting-IP": testClient().ip },
        body: JSON.stringify({ username: account.username, password: account.password }),
      },
    );
    expect(again.status).toBe(200);
  });
});
