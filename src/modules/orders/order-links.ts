/**
 * The signed order link of order emails: whoever holds it may read that one order, without an account (a
 * guest has none), until it expires. The token is base64url of HMAC-SHA256(order id, expiry) followed by
 * the order id and expiry it signs; nothing is stored, so a link cannot be revoked before it expires.
 */
import { base64Url, fromBase64, utf8 } from "../../platform/encoding";

const SIGNATURE_BYTES = 32;
/** A fixed label: the order-link key is derived from JWT_SECRET but is never the key that signs access tokens. */
const KEY_INFO = "edge-commerce order link v1";
const PAYLOAD = /^([\w-]{1,64}):(\d{1,12})$/;
/** Longer than any token this module makes: decoding stops there. */
const MAX_TOKEN_LENGTH = 256;

/** The HMAC key of order links, derived with HKDF from `secret` (config.jwt.secret). */
export function orderLinkKey(secret: string): Promise<CryptoKey> {
  // Derived once per secret per isolate: every email and link read would otherwise import and derive again.
  let key = linkKeys.get(secret);
  if (!key) {
    key = deriveLinkKey(secret);
    linkKeys.set(secret, key);
  }
  return key;
}

const linkKeys = new Map<string, Promise<CryptoKey>>();

async function deriveLinkKey(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", utf8(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: utf8(KEY_INFO) },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

function payloadOf(orderId: string, expiresAt: Date): string {
  return `${orderId}:${Math.floor(expiresAt.getTime() / 1000)}`;
}

export async function signOrderLink(orderId: string, expiresAt: Date, key: CryptoKey): Promise<string> {
  const text = payloadOf(orderId, expiresAt);
  if (!PAYLOAD.test(text)) throw new RangeError("not an order id this link can carry");
  const payload = utf8(text);
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, payload));
  const token = new Uint8Array(SIGNATURE_BYTES + payload.byteLength);
  token.set(signature);
  token.set(payload, SIGNATURE_BYTES);
  return base64Url(token);
}

export type OrderLinkCheck = { ok: true; orderId: string } | { ok: false; reason: "invalid" | "expired" };

function decode(token: string): Uint8Array<ArrayBuffer> | null {
  if (token.length > MAX_TOKEN_LENGTH || !/^[\w-]+$/.test(token)) return null;
  try {
    return fromBase64(token);
  } catch {
    return null;
  }
}

/**
 * The order a token names, if `key` signed it: the signature is checked first (crypto.subtle.verify compares
 * in constant time), so only a genuine link can learn that it expired.
 */
export async function verifyOrderLink(token: string, key: CryptoKey, now: Date): Promise<OrderLinkCheck> {
  const bytes = decode(token);
  if (!bytes || bytes.byteLength <= SIGNATURE_BYTES) return { ok: false, reason: "invalid" };
  const payload = bytes.slice(SIGNATURE_BYTES);
  if (!(await crypto.subtle.verify("HMAC", key, bytes.slice(0, SIGNATURE_BYTES), payload))) {
    return { ok: false, reason: "invalid" };
  }
  const match = PAYLOAD.exec(new TextDecoder().decode(payload));
  if (!match) return { ok: false, reason: "invalid" };
  const [, orderId = "", expiresAt = "0"] = match;
  if (Number(expiresAt) * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, orderId };
}

/** Where an order email's link points: the storefront's page, which reads the order with the token. */
export function orderLinkUrl(publicAppUrl: string, token: string): string {
  return `${publicAppUrl}/orders/view?token=${token}`;
}
