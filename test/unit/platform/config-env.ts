import type { EnvOverrides } from "../../fixtures/environments";

/** 32 bytes, 0 to 31, and their base64: a TOTP_ENCRYPTION_KEY whose decoding a test can check. */
export const KEY_BYTES = Uint8Array.from({ length: 32 }, (_, index) => index);
export const KEY_BASE64 = btoa(String.fromCharCode(...KEY_BYTES));

/** The least a test environment needs; everything else has a default. */
export const MINIMAL_ENV = {
  ENVIRONMENT: "test",
  DATABASE_URL: "http://127.0.0.1:8080",
  JWT_SECRET: "j".repeat(32),
  TOTP_ENCRYPTION_KEY: KEY_BASE64,
};

/** `base` with `overrides` on top; an undefined override removes the variable. */
export function envWith(base: EnvOverrides, overrides: EnvOverrides = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...base, ...overrides }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
