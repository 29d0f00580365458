/**
 * Stripe webhook signatures, verified with WebCrypto: HMAC-SHA256 of
 * `${t}.${raw body}` under the endpoint secret. Only `v1` signatures count,
 * any configured secret may have made one (rotation), comparison is
 * constant-time, and `t` must be within the tolerance in either direction.
 */
import { constantTimeEqual, utf8 } from "../../platform/encoding";

const TOLERANCE_SECONDS = 300;

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

function fromHex(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length % 2 !== 0) return null;
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
}

export async function verifyStripeSignature(
  header: string | undefined,
  rawBody: Uint8Array,
  secrets: string[],
  now = Date.now(),
): Promise<boolean> {
  if (!header || secrets.length === 0) return false;
  let timestamp: number | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2);
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === "v1") {
      const bytes = fromHex(value);
      if (bytes) signatures.push(bytes);
    }
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(now / 1000 - timestamp) > TOLERANCE_SECONDS) return false;

  const prefix = utf8(`${timestamp}.`);
  const signed = new Uint8Array(prefix.length + rawBody.length);
  signed.set(prefix);
  signed.set(rawBody, prefix.length);
  let valid = false;
  for (const secret of secrets) {
    const expected = new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), signed));
    // Every candidate is compared, so the time taken does not say which one matched.
    for (const signature of signatures) valid = constantTimeEqual(expected, signature) || valid;
  }
  return valid;
}
