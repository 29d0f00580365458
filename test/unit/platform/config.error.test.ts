import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../../src/platform/config";
import { envWith, KEY_BASE64, MINIMAL_ENV } from "./config-env";

/** The problems `overrides` on the minimal environment are refused with (none: accepted). */
function problemsWith(overrides: Record<string, string | undefined>) {
  const result = parseConfig(envWith(MINIMAL_ENV, overrides));
  return result.ok ? [] : result.problems;
}

const only = (variable: string, message: string) => [{ variable, message }];

describe("parseConfig: required variables", () => {
  it("a missing JWT_SECRET or TOTP_ENCRYPTION_KEY is required", () => {
    expect(problemsWith({ JWT_SECRET: undefined })).toEqual(only("JWT_SECRET", "is required"));
    expect(problemsWith({ TOTP_ENCRYPTION_KEY: undefined })).toEqual(only("TOTP_ENCRYPTION_KEY", "is required"));
  });

  it("every problem is reported at once, each by its variable", () => {
    const problems = problemsWith({ ENVIRONMENT: "prod", JWT_SECRET: undefined, DATABASE_URL: undefined });
    expect(problems.map((problem) => problem.variable).sort()).toEqual(["DATABASE_URL", "ENVIRONMENT", "JWT_SECRET"]);
  });

  it("an environment that is not a set of variables at all is refused as a whole", () => {
    const result = loadConfig([]);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.variable)).toEqual(["(env)"]);
  });
});

describe("parseConfig: malformed values", () => {
  it("secrets shorter than 32 bytes", () => {
    expect(problemsWith({ JWT_SECRET: "s".repeat(31) })).toEqual(only("JWT_SECRET", "must be at least 32 bytes"));
    expect(problemsWith({ JWT_SECRET_PREVIOUS: "p".repeat(31) })).toEqual(
      only("JWT_SECRET_PREVIOUS", "must be at least 32 bytes"),
    );
  });

  it("a TOTP key that is not 32 bytes of base64", () => {
    const message = "must be 32 bytes, base64-encoded (openssl rand -base64 32)";
    for (const key of [
      btoa("sixteen-bytes!!!"),
      `${KEY_BASE64}AAAA`,
      "%%% not base64 %%%",
      `dev-only-${btoa("short")}`,
    ]) {
      expect(problemsWith({ TOTP_ENCRYPTION_KEY: key }), key).toEqual(only("TOTP_ENCRYPTION_KEY", message));
    }
  });

  it("a database URL in a scheme libSQL does not speak, or not a URL", () => {
    const message = "must be a libsql://, https://, http://, wss:// or ws:// URL";
    for (const url of ["ftp://db.test", "git+https://db.test", "httpsx://db.test", "libsql2://db.test", "db.test"]) {
      expect(problemsWith({ DATABASE_URL: url }), url).toEqual(only("DATABASE_URL", message));
    }
  });

  it("an app or email API URL that is not http(s)", () => {
    for (const url of ["ftp://shop.test", "git+https://shop.test", "httpsx://shop.test"]) {
      expect(problemsWith({ PUBLIC_APP_URL: url }), url).toEqual(only("PUBLIC_APP_URL", "must be an http(s) URL"));
      expect(problemsWith({ EMAIL_API_URL: url }), url).toEqual(only("EMAIL_API_URL", "must be an http(s) URL"));
    }
  });

  it("a CORS origin with a path, a trailing slash, another scheme, or no scheme", () => {
    const message = "each origin is scheme://host[:port] with no path or trailing slash, or *";
    for (const origin of [
      "https://shop.test/",
      "https://shop.test/app",
      "ftp://shop.test",
      "shop.test",
      "*.shop.test",
    ]) {
      expect(problemsWith({ CORS_ORIGINS: `https://ok.test,${origin}` }), origin).toEqual(
        only("CORS_ORIGINS", message),
      );
    }
  });

  it("a store currency that is not three lower-case letters", () => {
    const message = "must be an ISO 4217 code in lower case, e.g. usd";
    for (const currency of ["EUR", "us", "euro", "1usd", "usd1", "u$d"]) {
      expect(problemsWith({ STORE_CURRENCY: currency }), currency).toEqual(only("STORE_CURRENCY", message));
    }
  });

  it("a Stripe key that is not a secret or restricted key", () => {
    for (const key of ["pk_test_abc", "xsk_test_abc", "sk_test_abc!", "sk_prod_abc", "sk_test_"]) {
      expect(problemsWith({ STRIPE_SECRET_KEY: key }), key).toEqual(
        only("STRIPE_SECRET_KEY", "must be a Stripe secret key"),
      );
    }
  });

  it("switches that are neither true nor false, and an unknown environment", () => {
    expect(problemsWith({ ADMIN_REQUIRE_2FA: "yes" }).map((problem) => problem.variable)).toEqual([
      "ADMIN_REQUIRE_2FA",
    ]);
    expect(problemsWith({ REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT: "1" }).map((problem) => problem.variable)).toEqual([
      "REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT",
    ]);
    expect(problemsWith({ ENVIRONMENT: "prod" }).map((problem) => problem.variable)).toEqual(["ENVIRONMENT"]);
  });
});

describe("parseConfig: numeric settings out of range", () => {
  const limits: [variable: string, below: string, above: string][] = [
    ["ACCESS_TOKEN_TTL_MINUTES", "0", "1441"],
    ["REFRESH_TOKEN_TTL_DAYS", "0", "366"],
    ["ARGON2_MEMORY_KIB", "1023", "262145"],
    ["ARGON2_ITERATIONS", "0", "11"],
    ["MAX_BODY_BYTES", "0", String(10 * 1024 * 1024 + 1)],
    ["PASSWORD_RESET_TTL_MINUTES", "0", "1441"],
    ["EMAIL_VERIFICATION_TTL_HOURS", "0", "337"],
    ["MAX_QTY_PER_LINE", "0", "1001"],
    ["MAX_CART_LINES", "0", "1001"],
    ["RESERVATION_TTL_SECONDS", "0", "86401"],
    ["PAYMENT_EVENT_RETRY_SECONDS", "-1", "301"],
  ];

  it.each(limits)("%s: below the minimum, above the maximum, fractional or not a number", (variable, below, above) => {
    for (const value of [below, above, "1.5", "ten"]) {
      expect(
        problemsWith({ [variable]: value }).map((problem) => problem.variable),
        value,
      ).toEqual([variable]);
    }
  });
});
