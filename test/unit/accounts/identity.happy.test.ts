import { describe, expect, it } from "vitest";
import {
  normalizeEmail,
  normalizeUsername,
  passwordProblem,
  USERNAME_PATTERN,
  usernameKey,
} from "../../../src/modules/accounts/identity";

describe("canonical identity: what an email or username is stored and looked up as", () => {
  it("an email is trimmed and lower-cased", () => {
    expect(normalizeEmail("  Ada.Lovelace@Example.COM \t")).toBe("ada.lovelace@example.com");
    expect(normalizeEmail("ada@example.com")).toBe("ada@example.com");
  });

  it("a username is trimmed and NFKC-folded, keeping its case", () => {
    // Full-width letters and digits, and the ﬁ ligature, fold to their plain forms.
    expect(normalizeUsername(" ＡｄａＬｏｖｅｌａｃｅ１８１５ ")).toBe("AdaLovelace1815");
    expect(normalizeUsername("\uFB01nn")).toBe("finn");
    expect(normalizeUsername("Ada")).toBe("Ada");
  });

  it("the username key, what uniqueness and sign-in compare, also ignores case", () => {
    expect(usernameKey(" ＡｄａＬｏｖｅｌａｃｅ ")).toBe("adalovelace");
    expect(usernameKey("ADA")).toBe(usernameKey("ada"));
    // Decomposed (NFD), as the skeleton of Unicode TR 39 is: the key is compared, never shown.
    expect(usernameKey("Ünal")).toBe("u\u0308nal");
  });

  it("a username is 3 to 32 letters or digits, in any script", () => {
    for (const username of ["ada", "Ada1815", "123", "Ünal", "김철수", "a".repeat(32), "ΑΒΓ٣"]) {
      expect(USERNAME_PATTERN.test(username), username).toBe(true);
    }
  });
});

describe("passwordProblem: passwords that are accepted", () => {
  it("accepts 8 to 128 characters that are not on the common-password list", () => {
    expect(passwordProblem("kx7#Lq9!")).toBeNull();
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("Zq".repeat(64))).toBeNull();
  });

  it("counts characters, not UTF-16 units: 8 emoji are 8 characters, 128 are not too many", () => {
    expect(passwordProblem("🔑🎲🐙🌵🚲🎻🧭🪁")).toBeNull();
    expect(passwordProblem(`${"🔑".repeat(127)}x`)).toBeNull();
  });

  it("keeps spaces and case as typed: a common password with more around it is not common", () => {
    expect(passwordProblem("  password  ")).toBeNull();
    expect(passwordProblem("password-of-mine")).toBeNull();
  });
});
