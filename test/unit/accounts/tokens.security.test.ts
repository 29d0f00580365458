import { sign } from "hono/jwt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AccessClaims,
  CLOCK_SKEW_SECONDS,
  InvalidTokenError,
  signAccessToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  verifyAccessToken,
} from "../../../src/modules/accounts/tokens";
import type { AppConfig } from "../../../src/platform/config";

const TTL = 3600;
const JWT: AppConfig["jwt"] = {
  secret: "unit-test-secret-that-is-at-least-32-bytes",
  previousSecret: "unit-test-previous-secret-of-32-bytes-or-more",
  accessTokenTtlSeconds: TTL,
};
const NOW = Date.UTC(2030, 0, 1) / 1000;
const SUBJECT = { userId: "usr_1", sessionId: "ses_1", role: "user" as const, amr: ["pwd"] };

/** Base64url of text, padding kept (`=`) as plain base64 would write it. */
function paddedBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_");
}

/** Base64url of a JSON text that base64 must pad: trailing spaces (still the same JSON) until it ends in `=`. */
function paddedWithEquals(json: string): string {
  let text = json;
  while (!paddedBase64Url(text).endsWith("=")) text += " ";
  return paddedBase64Url(text);
}

async function hmacSignature(data: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bytes = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
}

function claimsAt(iat: number, exp: number): AccessClaims {
  return {
    sub: SUBJECT.userId,
    sid: SUBJECT.sessionId,
    role: "user",
    iat,
    exp,
    jti: "jti_1",
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    typ: "access",
    amr: ["pwd"],
  };
}

async function expectRefused(token: string, label: string) {
  await expect(verifyAccessToken(token, JWT), label).rejects.toBeInstanceOf(InvalidTokenError);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW * 1000);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("access tokens must be canonical unpadded base64url", () => {
  it("a token as the API signs it verifies (baseline)", async () => {
    const { token } = await signAccessToken(SUBJECT, JWT);
    await expect(verifyAccessToken(token, JWT)).resolves.toMatchObject({ sub: SUBJECT.userId });
  });

  it("refuses `=` padding on the signature, and on a header or payload signed with the real key", async () => {
    const { token } = await signAccessToken(SUBJECT, JWT);
    await expectRefused(`${token}=`, "padded signature");
    const header = JSON.stringify({ alg: "HS256", typ: "JWT" });
    const payload = JSON.stringify(claimsAt(NOW, NOW + TTL));
    const unpadded = (json: string) => paddedBase64Url(json).replace(/=+$/, "");
    const signedAs = async (encodedHeader: string, encodedPayload: string) => {
      const unsigned = `${encodedHeader}.${encodedPayload}`;
      return `${unsigned}.${await hmacSignature(unsigned, JWT.secret)}`;
    };
    await expect(verifyAccessToken(await signedAs(unpadded(header), unpadded(payload)), JWT)).resolves.toBeDefined();
    await expectRefused(await signedAs(paddedWithEquals(header), unpadded(payload)), "padded header");
    await expectRefused(await signedAs(unpadded(header), paddedWithEquals(payload)), "padded payload");
  });

  it("refuses a signature spelled in base64 rather than base64url, or with stray bits in its last character", async () => {
    // Sessions differ until one signature holds a `-` or `_` (three in four do), so the respelling changes it.
    let token = "";
    for (let i = 0; !/[-_]/.test(token.split(".")[2] ?? ""); i++) {
      token = (await signAccessToken({ ...SUBJECT, sessionId: `ses_${i}` }, JWT)).token;
    }
    await expect(verifyAccessToken(token, JWT)).resolves.toBeDefined();
    const [header, payload, signature = ""] = token.split(".");
    await expectRefused(`${header}.${payload}.${signature.replace(/-/g, "+").replace(/_/g, "/")}`, "base64");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (const flip of [1, 2, 3]) {
      const last = alphabet[alphabet.indexOf(signature.slice(-1)) ^ flip];
      await expectRefused(`${header}.${payload}.${signature.slice(0, -1)}${last}`, `last character ^ ${flip}`);
    }
  });

  it("refuses whitespace and empty segments", async () => {
    const { token } = await signAccessToken(SUBJECT, JWT);
    const [header, payload, signature] = token.split(".");
    await expectRefused(`${header}.${payload}. ${signature}`, "space in the signature");
    await expectRefused(`${header}.${payload}.`, "no signature");
    await expectRefused(`${header}.${payload}.${signature}.`, "a fourth segment");
  });
});

describe("an access token may not outlive the configured TTL", () => {
  const signed = (iat: number, exp: number, secret = JWT.secret) => sign({ ...claimsAt(iat, exp) }, secret, "HS256");

  it("accepts a lifetime up to the TTL plus the clock skew, and refuses one beyond it", async () => {
    await expect(verifyAccessToken(await signed(NOW, NOW + TTL), JWT)).resolves.toBeDefined();
    await expect(verifyAccessToken(await signed(NOW, NOW + TTL + CLOCK_SKEW_SECONDS), JWT)).resolves.toBeDefined();
    await expectRefused(await signed(NOW, NOW + TTL + CLOCK_SKEW_SECONDS + 1), "TTL + skew + 1 s");
    await expectRefused(await signed(NOW, NOW + 10 * 365 * 24 * 3600), "ten years");
    await expectRefused(await signed(NOW - 100, NOW + TTL * 24), "a day, issued in the past");
  });

  it("applies to tokens verified with the previous key too", async () => {
    await expect(verifyAccessToken(await signed(NOW, NOW + TTL, JWT.previousSecret), JWT)).resolves.toBeDefined();
    await expectRefused(await signed(NOW, NOW + 10 * 365 * 24 * 3600, JWT.previousSecret), "previous key, ten years");
  });

  it("tolerates an issue time up to the clock skew ahead, and refuses one further ahead", async () => {
    const ahead = NOW + CLOCK_SKEW_SECONDS;
    await expect(verifyAccessToken(await signed(ahead, ahead + TTL), JWT)).resolves.toBeDefined();
    await expectRefused(await signed(ahead + 1, ahead + 1 + TTL), "skew + 1 s ahead");
    await expectRefused(await signed(NOW + 3600, NOW + 3600 + TTL), "an hour ahead");
  });
});
