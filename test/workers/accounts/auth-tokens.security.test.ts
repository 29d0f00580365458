import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { sign, verify } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import {
  decodeJwtPayload,
  setRole,
  signedInAdmin,
  signedInUser,
  type TestAccount,
  type Tokens,
  testDb,
} from "../support/accounts";
import { callWorkerWith, readProblem } from "../support/worker";

const SECRET = env.JWT_SECRET ?? "";
const INVALID_TOKEN = 'Bearer realm="api", error="invalid_token"';

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

async function hmac(data: string, secret: string, hash = "SHA-256"): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash }, false, [
    "sign",
  ]);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return btoa(String.fromCharCode(...signature))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
}

async function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret = SECRET,
  hash = "SHA-256",
) {
  const unsigned = `${b64url(header)}.${b64url(payload)}`;
  return `${unsigned}.${await hmac(unsigned, secret, hash)}`;
}

/** A token that stopped working: 401 invalid_token with its challenge, not merely some 401. */
async function expectStopped(response: Response, label: string) {
  expect(response.status, label).toBe(401);
  expect(response.headers.get("www-authenticate"), label).toContain(INVALID_TOKEN);
  expect((await readProblem(response)).type, label).toBe("urn:edge-commerce:problem:invalid_token");
}

describe("access token attacks are refused with 401 invalid_token", () => {
  let account: TestAccount & { tokens: Tokens };
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    account = await signedInUser();
    claims = decodeJwtPayload(account.tokens.access_token);
  });

  async function expectRejected(token: string, label: string) {
    const response = await account.client.fetch("/api/users/me", { token });
    expect(response.status, label).toBe(401);
    expect(response.headers.get("www-authenticate"), label).toContain(INVALID_TOKEN);
    expect((await readProblem(response)).type, label).toBe("urn:edge-commerce:problem:invalid_token");
  }

  it("the genuine token works (baseline)", async () => {
    expect((await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).status).toBe(200);
  });

  it("alg none, HS512, and an RS256 header over an HMAC signature", async () => {
    const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}`;
    await expectRejected(`${unsigned}.`, "alg none, empty signature");
    await expectRejected(`${b64url({ alg: "None", typ: "JWT" })}.${b64url(claims)}.`, "alg None");
    await expectRejected(
      await forge({ alg: "HS512", typ: "JWT" }, claims, SECRET, "SHA-512"),
      "HS512 with the real key",
    );
    await expectRejected(await forge({ alg: "RS256", typ: "JWT" }, claims), "RS256 header, HMAC signature");
  });

  it("a tampered payload or signature, and another key", async () => {
    const [header, , signature] = account.tokens.access_token.split(".");
    await expectRejected(`${header}.${b64url({ ...claims, role: "admin" })}.${signature}`, "payload changed to admin");
    await expectRejected(`${account.tokens.access_token.slice(0, -2)}AA`, "signature changed");
    await expectRejected(
      await forge({ alg: "HS256", typ: "JWT" }, claims, "another-secret-of-at-least-32-bytes!!"),
      "other key",
    );
  });

  it("kid, jku, x5u and jwk headers never choose the key", async () => {
    const attackerKey = "attacker-controlled-secret-32-bytes-long";
    await expectRejected(
      await forge(
        {
          alg: "HS256",
          typ: "JWT",
          kid: "attacker",
          jku: "https://evil.test/jwks.json",
          x5u: "https://evil.test/cert.pem",
          jwk: { kty: "oct", k: btoa(attackerKey) },
        },
        claims,
        attackerKey,
      ),
      "attacker key named in headers",
    );
  });

  it("missing or past exp, wrong iss or aud, missing or wrong typ", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { exp: _exp, ...withoutExp } = claims;
    await expectRejected(await sign(withoutExp, SECRET, "HS256"), "no exp");
    await expectRejected(await sign({ ...claims, iat: now - 7200, exp: now - 10 }, SECRET, "HS256"), "expired");
    await expectRejected(await sign({ ...claims, iss: "someone-else" }, SECRET, "HS256"), "wrong iss");
    await expectRejected(await sign({ ...claims, aud: "another-api" }, SECRET, "HS256"), "wrong aud");
    const { typ: _typ, ...withoutTyp } = claims;
    await expectRejected(await sign(withoutTyp, SECRET, "HS256"), "no typ");
    await expectRejected(await sign({ ...claims, typ: "refresh" }, SECRET, "HS256"), "typ refresh");
  });

  it("padding or a non-canonical spelling of a genuine token's segments", async () => {
    const token = account.tokens.access_token;
    const [header = "", payload = "", signature = ""] = token.split(".");
    // 32 signature bytes are 43 characters, the last carrying 2 unused bits: `=` completes the base64 quantum,
    // and flipping an unused bit spells the same bytes differently. A lenient decoder accepts both.
    expect(signature).toHaveLength(43);
    await expectRejected(`${token}=`, "signature padded with =");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet[alphabet.indexOf(signature.slice(-1)) ^ 1];
    await expectRejected(`${header}.${payload}.${signature.slice(0, -1)}${last}`, "stray bit in the signature");
    // The token itself, unaltered, still works.
    expect((await account.client.fetch("/api/users/me", { token })).status).toBe(200);
  });

  it("a token signed with the real key whose lifetime exceeds the access-token TTL, or issued in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    const ttl = Number(claims.exp) - Number(claims.iat);
    const tenYears = 10 * 365 * 24 * 60 * 60;
    await expectRejected(await sign({ ...claims, iat: now, exp: now + tenYears }, SECRET, "HS256"), "exp 10 years on");
    await expectRejected(
      await sign({ ...claims, iat: now, exp: now + ttl + 2 * 60 }, SECRET, "HS256"),
      "TTL + 2 minutes",
    );
    await expectRejected(
      await sign({ ...claims, iat: now + 3600, exp: now + 3600 + ttl }, SECRET, "HS256"),
      "issued an hour from now",
    );
    // The same claims over the configured TTL, as the API itself signs them, are accepted.
    const normal = await sign({ ...claims, iat: now, exp: now + ttl }, SECRET, "HS256");
    expect((await account.client.fetch("/api/users/me", { token: normal })).status).toBe(200);
  });

  it("a refresh token presented as an access token", async () => {
    await expectRejected(account.tokens.refresh_token, "refresh token");
  });

  it("a token in the query string is never read", async () => {
    const response = await account.client.fetch(`/api/users/me?access_token=${account.tokens.access_token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });
});

describe("tokens stop working when their session or account does", () => {
  it("after logout", async () => {
    const account = await signedInUser();
    const token = account.tokens.access_token;
    expect((await account.client.fetch("/api/auth/logout", { method: "POST", token })).status).toBe(204);
    await expectStopped(await account.client.fetch("/api/users/me", { token }), "after logout");
  });

  it("after deactivation and after deletion", async () => {
    const deactivated = await signedInUser();
    const deleted = await signedInUser();
    const db = testDb();
    await db.update(users).set({ isActive: false }).where(eq(users.id, deactivated.id));
    await db.update(users).set({ deletedAt: new Date().toISOString() }).where(eq(users.id, deleted.id));
    await expectStopped(
      await deactivated.client.fetch("/api/users/me", { token: deactivated.tokens.access_token }),
      "deactivated",
    );
    await expectStopped(await deleted.client.fetch("/api/users/me", { token: deleted.tokens.access_token }), "deleted");
  });

  it("after demotion: 403 insufficient_scope on admin routes, 401 elsewhere", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    expect((await admin.client.fetch("/api/admin/users", { token })).status).toBe(200);
    await setRole(admin.id, "user");
    const adminRoute = await admin.client.fetch("/api/admin/users", { token });
    expect(adminRoute.status).toBe(403);
    expect(adminRoute.headers.get("www-authenticate")).toBe('Bearer realm="api", error="insufficient_scope"');
    expect((await readProblem(adminRoute)).type).toBe("urn:edge-commerce:problem:insufficient_scope");
    await expectStopped(await admin.client.fetch("/api/users/me", { token }), "demoted, elsewhere");
  });

  it("after promotion, the old user token must be replaced by signing in again", async () => {
    const user = await signedInUser();
    await setRole(user.id, "admin");
    await expectStopped(await user.client.fetch("/api/users/me", { token: user.tokens.access_token }), "promoted");
  });
});

describe("signing key rotation", () => {
  it("JWT_SECRET_PREVIOUS verifies tokens signed before the rotation; without it they are refused", async () => {
    const account = await signedInUser();
    const oldKey = "the-key-before-rotation-0123456789abcdef";
    const newKey = "the-key-after-rotation-0123456789abcdefgh";
    const oldToken = await sign(decodeJwtPayload(account.tokens.access_token), oldKey, "HS256");
    const call = (overrides: Record<string, string | undefined>) =>
      callWorkerWith(overrides, "/api/users/me", { headers: { Authorization: `Bearer ${oldToken}` } });

    expect((await call({ JWT_SECRET: newKey, JWT_SECRET_PREVIOUS: oldKey })).status).toBe(200);
    expect((await call({ JWT_SECRET: newKey })).status).toBe(401);
  });

  it("new tokens are signed with JWT_SECRET, not the previous key", async () => {
    const account = await signedInUser();
    const response = await callWorkerWith(
      { JWT_SECRET: "the-key-after-rotation-0123456789abcdefgh", JWT_SECRET_PREVIOUS: SECRET },
      "/api/auth/login",
      {
        method: "POST",
        headers: { "content-type": "application/json", "CF-Connecting-IP": account.client.ip },
        body: JSON.stringify({ username: account.username, password: account.password }),
      },
    );
    const { access_token } = (await response.json()) as Tokens;
    expect(await verify(access_token, "the-key-after-rotation-0123456789abcdefgh", "HS256")).toMatchObject({
      sub: account.id,
    });
    await expect(verify(access_token, SECRET, "HS256")).rejects.toThrow();
    // So the test configuration (old key alone) refuses it.
    await expectStopped(
      await account.client.fetch("/api/users/me", { token: access_token }),
      "signed with the new key",
    );
  });
});

describe("RFC 6750 challenges", () => {
  it("no credentials: 401 with a bare challenge", async () => {
    const { client } = await signedInUser();
    for (const headers of [{}, { Authorization: "Basic dXNlcjpwYXNz" }] as Record<string, string>[]) {
      const response = await client.fetch("/api/users/me", { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    }
  });

  it("a malformed bearer header: 400 invalid_request", async () => {
    const { client } = await signedInUser();
    for (const value of ["Bearer", "Bearer ", "Bearer two tokens", "Bearer a,b"]) {
      const response = await client.fetch("/api/users/me", { headers: { Authorization: value } });
      expect(response.status, value).toBe(400);
      expect(response.headers.get("www-authenticate"), value).toBe('Bearer realm="api", error="invalid_request"');
    }
  });
});
