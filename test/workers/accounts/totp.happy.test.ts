import { describe, expect, it } from "vitest";
import { open, seal } from "../../../src/modules/accounts/secret-box";
import {
  base32Decode,
  base32Encode,
  matchingStep,
  otpauthUri,
  stepAt,
  totpCode,
} from "../../../src/modules/accounts/totp";

const RFC_SECRET = new Uint8Array(new TextEncoder().encode("12345678901234567890"));

describe("RFC 6238 TOTP (HMAC-SHA1)", () => {
  it("matches the RFC's SHA-1 test vectors", async () => {
    const vectors: [number, string][] = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
      [20000000000, "65353130"],
    ];
    for (const [seconds, expected] of vectors) {
      expect(await totpCode(RFC_SECRET, stepAt(seconds * 1000), 8), String(seconds)).toBe(expected);
    }
  });

  it("accepts one step of drift either side, not two", async () => {
    const now = 1_700_000_000_000;
    const step = stepAt(now);
    for (const offset of [-1, 0, 1]) {
      expect(await matchingStep(RFC_SECRET, await totpCode(RFC_SECRET, step + offset), now), String(offset)).toBe(
        step + offset,
      );
    }
    for (const offset of [-2, 2]) {
      expect(await matchingStep(RFC_SECRET, await totpCode(RFC_SECRET, step + offset), now), String(offset)).toBeNull();
    }
    expect(await matchingStep(RFC_SECRET, "12345", now)).toBeNull();
    expect(await matchingStep(RFC_SECRET, "abcdef", now)).toBeNull();
  });

  it("base32 round-trips (RFC 4648 vector) and the otpauth URI carries secret, issuer and parameters", () => {
    expect(base32Encode(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
    expect(new TextDecoder().decode(base32Decode("mzxw6ytboi"))).toBe("foobar");
    const uri = new URL(otpauthUri(RFC_SECRET, "ada", "Edge Commerce"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(base32Encode(RFC_SECRET));
    expect(uri.searchParams.get("issuer")).toBe("Edge Commerce");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });
});

describe("sealed secrets (AES-256-GCM)", () => {
  const key = crypto.getRandomValues(new Uint8Array(32));

  it("opens only with the same key and the same owner", async () => {
    const sealed = await seal(RFC_SECRET, key, "totp:usr_a");
    expect(sealed).not.toContain(base32Encode(RFC_SECRET));
    expect(await open(sealed, key, "totp:usr_a")).toEqual(RFC_SECRET);
    await expect(open(sealed, key, "totp:usr_b")).rejects.toThrow();
    await expect(open(sealed, crypto.getRandomValues(new Uint8Array(32)), "totp:usr_a")).rejects.toThrow();
  });
});
