import { describe, expect, it } from "vitest";
import { passwordMatchesIdentity } from "../../../src/modules/accounts/identity";

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
