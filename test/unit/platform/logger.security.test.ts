import { describe, expect, it } from "vitest";
import { mask, REDACTED } from "../../../src/platform/logger";

/** Every key name SECURITY.md promises is redacted from logs and audit details, in the spellings the code uses. */
const SECRET_KEYS = [
  "password",
  "current_password",
  "new_password",
  "passwd",
  "passphrase",
  "secret",
  "client_secret",
  "token",
  "access_token",
  "refresh_token",
  "authorization",
  "Authorization",
  "cookie",
  "card",
  "card_number",
  "cvc",
  "cvv",
  "api_key",
  "apiKey",
  "otp",
  "recovery_code",
  "recoveryCode",
  "password_hash",
  "signature",
];

describe("log masking", () => {
  it.each(SECRET_KEYS)("redacts the value of %s, at any depth", (key) => {
    expect(mask({ [key]: "marker-value-123" })).toEqual({ [key]: REDACTED });
    expect(mask({ outer: { inner: [{ [key]: 42 }] } })).toEqual({ outer: { inner: [{ [key]: REDACTED }] } });
  });

  it("keeps ordinary fields, hides most of an email and strips bearer tokens and JWTs from text", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl";
    expect(
      mask({
        order_id: "ord_1",
        quantity: 2,
        email: "ada@example.com",
        note: `sent Bearer abc.def and ${jwt}`,
      }),
    ).toEqual({
      order_id: "ord_1",
      quantity: 2,
      email: "a***@example.com",
      note: `sent Bearer ${REDACTED} and ${REDACTED}`,
    });
  });
});
