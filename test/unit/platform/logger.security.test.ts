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

  it("hides the addresses inside free text too, each of them, whatever surrounds them", () => {
    expect(mask("reply to ada@example.com, cc <grace.hopper@navy.mil>; done")).toBe(
      "reply to a***@example.com, cc <g***@navy.mil>; done",
    );
    expect(mask({ error: new Error("no account for bob@shop.test") })).toEqual({
      error: { name: "Error", message: "no account for b***@shop.test" },
    });
    expect(mask("no address here, only an @ sign and a @handle")).toBe("no address here, only an @ sign and a @handle");
  });

  it("redacts any key that contains pass, not only the spellings listed", () => {
    expect(mask({ pass: "x", passcode: "1234", bypass_token: "t" })).toEqual({
      pass: REDACTED,
      passcode: REDACTED,
      bypass_token: REDACTED,
    });
  });

  it("leaves a secret-named key that holds nothing as it is, so a log can say a secret was absent", () => {
    expect(mask({ password: null, token: undefined })).toStrictEqual({ password: null, token: undefined });
  });

  it("strips a bearer or basic credential however many spaces follow the scheme", () => {
    expect(mask("Authorization: Bearer    abc.def-123")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(mask("basic\tdXNlcjpwYXNz")).toBe(`basic ${REDACTED}`);
  });

  it("the marker is the literal [REDACTED]", () => {
    expect(mask({ secret: "s" })).toEqual({ secret: "[REDACTED]" });
  });
});
