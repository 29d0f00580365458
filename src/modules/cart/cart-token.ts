/**
 * A guest's cart token: the only credential of an anonymous cart, sent in its own header so that it can never be
 * mistaken for, or accepted as, an account's bearer token.
 */
import { base64Url, randomBytes, utf8 } from "../../platform/encoding";
import { ApiError } from "../../platform/http/problem";

export const CART_TOKEN_HEADER = "Cart-Token";

/** 32 random bytes (256 bits) as unpadded base64url: always 43 characters. */
const CART_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newCartToken(): string {
  return base64Url(randomBytes(32));
}

/** What the database stores of a token: its SHA-256, base64url. A token of the wrong shape has none (null). */
export async function cartTokenHash(token: string): Promise<string | null> {
  if (!CART_TOKEN.test(token)) return null;
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(token))));
}

/**
 * Malformed, unknown and expired tokens get this same answer, so a caller learns nothing about which tokens exist.
 * The challenge names the scheme that does work everywhere: an account's bearer token.
 */
export function invalidCartToken(): ApiError {
  return new ApiError(401, "invalid_cart_token", "The cart token is invalid or its cart has expired.", {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });
}

/** A guest cart lives `ttlDays` after its last change. */
export function guestCartExpiry(at: Date, ttlDays: number): string {
  return new Date(at.getTime() + ttlDays * 86_400_000).toISOString();
}
