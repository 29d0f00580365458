import { describe, expect, it } from "vitest";
import {
  normalizeEmail,
  passwordMatchesIdentity,
  signInIdentifier,
  usernameKey,
} from "../../../src/modules/accounts/identity";

describe("a password equal to the account's own email or username", () => {
  it("matches the email or the username, whatever the case of either", () => {
    const identity = { email: "Ada@Example.com", username: "AdaLovelace" };
    expect(passwordMatchesIdentity("ada@example.COM", identity)).toBe(true);
    expect(passwordMatchesIdentity("ADALOVELACE", identity)).toBe(true);
  });

  it("matches with only one of them known", () => {
    expect(passwordMatchesIdentity("AdaLovelace", { username: "adalovelace" })).toBe(true);
    expect(passwordMatchesIdentity("ada@example.com", { email: "ADA@example.com" })).toBe(true);
  });

  it("does not match anything else, nor an identity with neither", () => {
    const identity = { email: "ada@example.com", username: "adalovelace" };
    expect(passwordMatchesIdentity("adalovelace1815", identity)).toBe(false);
    expect(passwordMatchesIdentity("ada@example", identity)).toBe(false);
    expect(passwordMatchesIdentity("ada@example.com", { username: "adalovelace" })).toBe(false);
    expect(passwordMatchesIdentity("adalovelace", { email: "ada@example.com" })).toBe(false);
    expect(passwordMatchesIdentity("adalovelace", {})).toBe(false);
  });
});

describe("one identity per name: the username key (NFKC, case folding, the TR 39 skeleton)", () => {
  const key = usernameKey("victor");

  it("folds full-width forms, case, and Cyrillic or Greek look-alikes into one key", () => {
    for (const spelling of [
      "Victor",
      "VICTOR",
      "ｖｉｃｔｏｒ",
      "v\u0456ctor",
      "vict\u043er",
      "vi\u0441tor",
      "vict\u03bfr",
    ]) {
      expect(usernameKey(spelling), spelling).toBe(key);
    }
  });

  it("folds the digit look-alikes: 0 and o, 1 and l (and so i); and rn with m", () => {
    expect(usernameKey("vict0r")).toBe(key);
    expect(usernameKey("V1ctor")).toBe(key);
    expect(usernameKey("1ovelace")).toBe(usernameKey("lovelace"));
    expect(usernameKey("modern")).toBe(usernameKey("rnodern"));
  });

  it("folds capital look-alikes whatever the case they are typed in: Cyrillic В, Greek Κ, Latin I", () => {
    for (const spelling of ["BOB", "bob", "\u0412\u041e\u0412", "\u0432\u043e\u0432"]) {
      expect(usernameKey(spelling), spelling).toBe(usernameKey("bob"));
    }
    expect(usernameKey("\u039aate")).toBe(usernameKey("kate"));
    expect(usernameKey("PayPaI")).toBe(usernameKey("paypal"));
    expect(usernameKey("AIice")).toBe(usernameKey("alice"));
    // Small-capital ɪ becomes i only in the small pass; the last pass takes it on to l, where i went.
    expect(usernameKey("v\u026actor")).toBe(key);
  });

  it("is case-blind and idempotent", () => {
    for (const name of ["Alice", "Victor", "\u0412\u043e\u0432", "Stra\u00dfe", "Modern"]) {
      expect(usernameKey(name.toUpperCase()), name).toBe(usernameKey(name.toLowerCase()));
      expect(usernameKey(usernameKey(name)), name).toBe(usernameKey(name));
    }
  });

  it("keeps different names apart", () => {
    for (const other of ["victoria", "viktor", "vector", "victor2"]) expect(usernameKey(other), other).not.toBe(key);
    expect(usernameKey("josé")).not.toBe(usernameKey("jose"));
  });
});

describe("what a sign-in typed, in the form its account and its backoff are found by", () => {
  it("an email after NFKC (a full-width @ counts), trimmed and lower-cased", () => {
    expect(signInIdentifier(" Ada\uff20Example.COM ")).toEqual({ kind: "email", key: "ada@example.com" });
    expect(normalizeEmail("ＡＤＡ@example.com")).toBe("ada@example.com");
  });

  it("anything else is a username, by its key", () => {
    expect(signInIdentifier("ｖіctor")).toEqual({ kind: "username", key: usernameKey("victor") });
  });
});
