/**
 * Secrets at rest (TOTP keys) sealed with AES-256-GCM under
 * TOTP_ENCRYPTION_KEY. The owner's id is authenticated with the ciphertext,
 * so a sealed secret copied onto another account does not open.
 */
import { base64Url, fromBase64, randomBytes, utf8 } from "../../platform/encoding";

const VERSION = "v1";
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function importKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  let key = keys.get(raw);
  if (!key) {
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(raw, key);
  }
  return key;
}

export async function seal(
  plaintext: Uint8Array<ArrayBuffer>,
  key: Uint8Array<ArrayBuffer>,
  owner: string,
): Promise<string> {
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(owner) },
    await importKey(key),
    plaintext,
  );
  return `${VERSION}.${base64Url(iv)}.${base64Url(new Uint8Array(ciphertext))}`;
}

export async function open(
  sealed: string,
  key: Uint8Array<ArrayBuffer>,
  owner: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const [version, iv = "", ciphertext = ""] = sealed.split(".");
  if (version !== VERSION) throw new Error("unknown sealed secret version");
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: utf8(owner) },
    await importKey(key),
    fromBase64(ciphertext),
  );
  return new Uint8Array(plaintext);
}
