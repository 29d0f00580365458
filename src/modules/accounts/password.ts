/**
 * argon2id password hashes in PHC format, from @noble/hashes (pure JS, so it
 * runs in workerd, where the 128 MB isolate limit rules out scrypt at OWASP
 * strength and PBKDF2 is capped at 100k iterations).
 */
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { base64NoPad, constantTimeEqual, fromBase64, randomBytes, utf8 } from "../../platform/encoding";

export interface Argon2Params {
  memoryKib: number;
  iterations: number;
  parallelism: number;
}

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const VERSION = 19;
const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

async function derive(password: string, salt: Uint8Array, params: Argon2Params, length: number): Promise<Uint8Array> {
  return argon2idAsync(utf8(password), salt, {
    m: params.memoryKib,
    t: params.iterations,
    p: params.parallelism,
    dkLen: length,
    version: 0x13,
  });
}

export async function hashPassword(password: string, params: Argon2Params): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, HASH_BYTES);
  return `$argon2id$v=${VERSION}$m=${params.memoryKib},t=${params.iterations},p=${params.parallelism}$${base64NoPad(salt)}$${base64NoPad(hash)}`;
}

export interface PasswordCheck {
  valid: boolean;
  /** The stored hash is weaker than the configured parameters: re-hash it now that the password is known. */
  needsRehash: boolean;
}

export async function verifyPassword(
  password: string,
  stored: string,
  configured: Argon2Params,
): Promise<PasswordCheck> {
  const match = PHC.exec(stored);
  if (!match) return { valid: false, needsRehash: false };
  const [, m, t, p, salt = "", expected = ""] = match;
  const params = { memoryKib: Number(m), iterations: Number(t), parallelism: Number(p) };
  const expectedBytes = fromBase64(expected);
  const actual = await derive(password, fromBase64(salt), params, expectedBytes.length);
  const valid = constantTimeEqual(actual, expectedBytes);
  const needsRehash =
    params.memoryKib < configured.memoryKib ||
    params.iterations < configured.iterations ||
    params.parallelism < configured.parallelism;
  return { valid, needsRehash };
}

const dummyHashes = new Map<string, Promise<string>>();

/**
 * A hash of a random password at the configured cost, verified against when
 * the account does not exist, so an unknown user costs the same time as a
 * wrong password.
 */
export function dummyHash(params: Argon2Params): Promise<string> {
  const key = `${params.memoryKib}:${params.iterations}:${params.parallelism}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword(base64NoPad(randomBytes(24)), params);
    dummyHashes.set(key, hash);
  }
  return hash;
}
