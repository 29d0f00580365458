import { describe, expect, it } from "vitest";
import { passwordProblem, USERNAME_PATTERN } from "../../../src/modules/accounts/identity";

describe("usernames that are refused", () => {
  it.each([
    ["too short", "ab"],
    ["too long", "a".repeat(33)],
    ["empty", ""],
    ["punctuation inside", "ada.lovelace"],
    ["a space inside", "ada lovelace"],
    ["punctuation before", "_ada"],
    ["punctuation after", "ada!"],
    ["an email", "ada@example.com"],
    ["a line break after", "ada\n"],
    ["an emoji", "ada🙂"],
  ])("%s: %j", (_case, username) => {
    expect(USERNAME_PATTERN.test(username)).toBe(false);
  });
});

describe("passwordProblem: passwords that are refused, and why", () => {
  it("fewer than 8 characters", () => {
    expect(passwordProblem("kx7#Lq9")).toBe("must be at least 8 characters");
    expect(passwordProblem("")).toBe("must be at least 8 characters");
    // 4 emoji are 8 UTF-16 units but only 4 characters.
    expect(passwordProblem("🔑🎲🐙🌵")).toBe("must be at least 8 characters");
  });

  it("more than 128 characters", () => {
    expect(passwordProblem(`${"Zq".repeat(64)}x`)).toBe("must be at most 128 characters");
    expect(passwordProblem("🔑".repeat(129))).toBe("must be at most 128 characters");
  });

  it("on the common-password list, whatever its case", () => {
    const common = "is too common; choose one that is not on lists of breached passwords";
    expect(passwordProblem("password")).toBe(common);
    expect(passwordProblem("PassWord1")).toBe(common);
    expect(passwordProblem("12345678")).toBe(common);
    // The list's first and last lines count too.
    expect(passwordProblem("dimazarya")).toBe(common);
  });
});
