/**
 * Device tokens (OWASP's "device cookies" for an API): after a sign-in that
 * succeeded, the client receives a token bound to the sign-in guard of the
 * identifier it used, to the account, and to its current password hash.
 * Presented with a later sign-in of that identifier, it lets the attempt be
 * held by the device's own counter, so failures from elsewhere cannot lock
 * out a client that has signed in before. A password change or reset retires
 * every device token of the account; so does rotating the JWT secret, from
 * which the key is derived. Stateless:
 * `ecdv_<id>.<HMAC-SHA256(guard name | user id | SHA-256(password hash) | id)>`.
 */
import { base64Url, fromBase64, randomBytes, sha256Hex, utf8 } from "../../platform/encoding";
import type { UserRow } from "./tables/users";

const PREFIX = "ecdv_";
const FORMAT = /^ecdv_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

const keys = new Map<string, Promise<CryptoKey>>();

function deviceKey(jwtSecret: string): Promise<CryptoKey> {
  let key = keys.get(jwtSecret);
  if (!key) {
    key = (async () => {
      const root = await crypto.subtle.importKey("raw", utf8(jwtSecret), { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
      ]);
      const derived = await crypto.subtle.sign("HMAC", root, utf8("edge-commerce device tokens v1"));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    })();
    keys.set(jwtSecret, key);
  }
  return key;
}

/** What a device token is issued for: a sign-in guard, and the account with its current password. */
export interface DeviceBinding {
  guardName: string;
  user: Pick<UserRow, "id" | "passwordHash">;
}

async function signedText(binding: DeviceBinding, id: string): Promise<Uint8Array<ArrayBuffer>> {
  return utf8(`${binding.guardName}|${binding.user.id}|${await sha256Hex(binding.user.passwordHash)}|${id}`);
}

export async function issueDeviceToken(binding: DeviceBinding, jwtSecret: string): Promise<string> {
  const id = base64Url(randomBytes(16));
  const mac = await crypto.subtle.sign("HMAC", await deviceKey(jwtSecret), await signedText(binding, id));
  return `${PREFIX}${id}.${base64Url(new Uint8Array(mac))}`;
}

/** The device id when the token was issued by this server for this guard, account and password; else undefined. */
export async function verifyDeviceToken(
  token: string | undefined,
  binding: DeviceBinding,
  jwtSecret: string,
): Promise<string | undefined> {
  const match = token ? FORMAT.exec(token) : null;
  if (!match?.[1] || !match[2]) return undefined;
  const id = match[1];
  // subtle.verify compares in constant time.
  const key = await deviceKey(jwtSecret);
  const valid = await crypto.subtle.verify("HMAC", key, fromBase64(match[2]), await signedText(binding, id));
  return valid ? id : undefined;
}
