/**
 * Access tokens (HS256 JWTs via hono/jwt) and opaque refresh tokens. Access
 * token verification pins the algorithm and requires every claim the API
 * relies on; hono alone would accept a token without `exp`.
 */
import { sign, verify } from "hono/jwt";
import type { AppConfig } from "../../platform/config";
import { base64Url, fromBase64, randomBytes, sha256Hex } from "../../platform/encoding";
import { newId } from "../../platform/ids";
import type { Role } from "./tables/users";
import { ROLES } from "./tables/users";

export const TOKEN_ISSUER = "edge-commerce-api";
export const TOKEN_AUDIENCE = "edge-commerce-api";
const ALGORITHM = "HS256";
const REFRESH_TOKEN_PREFIX = "ecrt_";

export interface AccessClaims {
  sub: string;
  sid: string;
  role: Role;
  iat: number;
  exp: number;
  jti: string;
  iss: string;
  aud: string;
  typ: "access";
  /** Authentication methods (RFC 8176): `["pwd"]`, or `["pwd", "otp"]` / `["pwd", "mfa"]` with a second factor. */
  amr: string[];
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "InvalidTokenError";
  }
}

export async function signAccessToken(
  subject: { userId: string; sessionId: string; role: Role; amr: string[] },
  jwt: AppConfig["jwt"],
  now = Date.now(),
): Promise<{ token: string; expiresIn: number }> {
  const iat = Math.floor(now / 1000);
  const claims: AccessClaims = {
    sub: subject.userId,
    sid: subject.sessionId,
    role: subject.role,
    iat,
    exp: iat + jwt.accessTokenTtlSeconds,
    jti: newId("jti"),
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    typ: "access",
    amr: subject.amr,
  };
  return { token: await sign({ ...claims }, jwt.secret, ALGORITHM), expiresIn: jwt.accessTokenTtlSeconds };
}

function isAccessClaims(payload: Record<string, unknown>): payload is Record<string, unknown> & AccessClaims {
  return (
    payload.typ === "access" &&
    typeof payload.sub === "string" &&
    typeof payload.sid === "string" &&
    typeof payload.jti === "string" &&
    typeof payload.exp === "number" &&
    typeof payload.iat === "number" &&
    ROLES.includes(payload.role as Role) &&
    Array.isArray(payload.amr) &&
    payload.amr.every((method) => typeof method === "string")
  );
}

/** Tolerated difference between the clock that issued a token and the one checking it. */
export const CLOCK_SKEW_SECONDS = 60;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Unpadded base64url that is the one encoding of its bytes: no `=`, no `+` or `/`, no whitespace, and no stray
 * bits in the last character (which `atob` would ignore, giving one signature several spellings).
 */
function isCanonicalBase64Url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  try {
    return base64Url(fromBase64(segment)) === segment;
  } catch {
    return false;
  }
}

/**
 * Verifies with the current key, then the previous one (rotation); `kid`, `jku`, `x5u` and `jwk` headers never
 * choose a key. Only our own signer's shape is accepted: three canonical unpadded base64url segments, and a
 * lifetime (`exp - iat`) no longer than the configured access-token TTL, issued no later than now (each within
 * CLOCK_SKEW_SECONDS): a leaked signing key, or a bug, cannot mint a token that outlives the TTL.
 */
export async function verifyAccessToken(token: string, jwt: AppConfig["jwt"]): Promise<AccessClaims> {
  const segments = token.split(".");
  if (segments.length !== 3 || !segments.every(isCanonicalBase64Url)) {
    throw new InvalidTokenError("the token is not canonical base64url");
  }
  const keys = [jwt.secret, jwt.previousSecret].filter((key): key is string => key !== undefined);
  let lastError: unknown;
  for (const key of keys) {
    try {
      // `iat` is checked below, with the skew hono does not allow.
      const payload = await verify(token, key, { alg: ALGORITHM, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: false });
      if (payload.exp === undefined) throw new InvalidTokenError("the token has no expiry");
      if (!isAccessClaims(payload)) throw new InvalidTokenError("the token is not an access token");
      if (payload.iat > Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS) {
        throw new InvalidTokenError("the token is issued in the future");
      }
      if (payload.exp - payload.iat > jwt.accessTokenTtlSeconds + CLOCK_SKEW_SECONDS) {
        throw new InvalidTokenError("the token lives longer than the access-token TTL");
      }
      return payload;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      lastError = error;
    }
  }
  throw new InvalidTokenError(lastError instanceof Error ? lastError.name : "the token is invalid");
}

/** 256 random bits; only its SHA-256 is ever stored. */
export function newRefreshToken(): string {
  return `${REFRESH_TOKEN_PREFIX}${base64Url(randomBytes(32))}`;
}

export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}
