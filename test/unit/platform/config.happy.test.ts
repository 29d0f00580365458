import { describe, expect, it } from "vitest";
import { type AppConfig, loadConfig, parseConfig } from "../../../src/platform/config";
import { PRODUCTION_ENV, TEST_BINDINGS } from "../../fixtures/environments";
import { envWith, KEY_BASE64, KEY_BYTES, MINIMAL_ENV } from "./config-env";

/** The configuration `overrides` on the minimal environment parse to; fails the test if they do not. */
function configWith(overrides: Record<string, string | undefined> = {}): AppConfig {
  const result = parseConfig(envWith(MINIMAL_ENV, overrides));
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.config;
}

const deployed = (environment: string, overrides: Record<string, string | undefined> = {}) =>
  parseConfig(envWith({ ...TEST_BINDINGS, ...PRODUCTION_ENV }, { ENVIRONMENT: environment, ...overrides }));

describe("parseConfig: defaults", () => {
  it("fills in every default around the four required variables", () => {
    expect(configWith()).toMatchObject({
      environment: "test",
      isProduction: false,
      isDeployed: false,
      isDevelopment: false,
      database: { url: "http://127.0.0.1:8080", authToken: undefined },
      jwt: { secret: "j".repeat(32), previousSecret: undefined, accessTokenTtlSeconds: 3600 },
      refreshTokenTtlDays: 30,
      argon2: { memoryKib: 19_456, iterations: 2, parallelism: 1 },
      cors: { origins: [], allowAny: false },
      maxBodyBytes: 102_400,
      publicAppUrl: "http://localhost:3000",
      email: undefined,
      passwordResetTtlMinutes: 30,
      emailVerificationTtlHours: 24,
      totpEncryptionKey: KEY_BYTES,
      adminRequire2fa: false,
      storeCurrency: "usd",
      cart: { maxQuantityPerLine: 50, maxLines: 100 },
      reservationTtlSeconds: 900,
      stripeSecretKey: undefined,
      stripeWebhookSecrets: [],
      requireVerifiedEmailForCheckout: false,
    });
  });
});

describe("parseConfig: environments", () => {
  it("development turns on development conveniences, and nothing else", () => {
    expect(configWith({ ENVIRONMENT: "development" })).toMatchObject({
      isDevelopment: true,
      isDeployed: false,
      isProduction: false,
    });
  });

  it("staging is deployed but not production; there 2FA for admins and verified emails for checkout default to on", () => {
    const result = deployed("staging");
    expect(result.ok && result.config).toMatchObject({
      environment: "staging",
      isDeployed: true,
      isProduction: false,
      isDevelopment: false,
      adminRequire2fa: true,
      requireVerifiedEmailForCheckout: true,
    });
  });

  it("production is deployed and production", () => {
    const result = deployed("production");
    expect(result.ok && result.config).toMatchObject({ isDeployed: true, isProduction: true, isDevelopment: false });
  });

  it("ADMIN_REQUIRE_2FA and REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT, when set, win over the environment's default", () => {
    expect(configWith({ ADMIN_REQUIRE_2FA: "true", REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT: "true" })).toMatchObject({
      adminRequire2fa: true,
      requireVerifiedEmailForCheckout: true,
    });
    expect(configWith({ ADMIN_REQUIRE_2FA: "false", REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT: "false" })).toMatchObject({
      adminRequire2fa: false,
      requireVerifiedEmailForCheckout: false,
    });
    const result = deployed("production", { ADMIN_REQUIRE_2FA: "false", REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT: "false" });
    expect(result.ok && result.config).toMatchObject({
      adminRequire2fa: false,
      requireVerifiedEmailForCheckout: false,
    });
  });
});

describe("parseConfig: values as read", () => {
  it("reads every database URL scheme libSQL speaks, with its token", () => {
    for (const url of ["http://db.test", "https://db.test", "libsql://db.test", "ws://db.test", "wss://db.test"]) {
      expect(configWith({ DATABASE_URL: url, DATABASE_AUTH_TOKEN: "token" }).database, url).toEqual({
        url,
        authToken: "token",
      });
    }
  });

  it("accepts a JWT secret of exactly 32 bytes, counting bytes rather than characters, and a previous one", () => {
    expect(configWith({ JWT_SECRET: "s".repeat(32) }).jwt.secret).toBe("s".repeat(32));
    expect(configWith({ JWT_SECRET: "é".repeat(16) }).jwt.secret).toBe("é".repeat(16));
    const previous = "p".repeat(40);
    expect(configWith({ JWT_SECRET_PREVIOUS: previous }).jwt.previousSecret).toBe(previous);
    expect(configWith({ JWT_SECRET_PREVIOUS: "" }).jwt.previousSecret).toBeUndefined();
  });

  it("decodes the TOTP key from base64, with or without the dev-only- marker of generated keys", () => {
    expect(configWith({ TOTP_ENCRYPTION_KEY: KEY_BASE64 }).totpEncryptionKey).toEqual(KEY_BYTES);
    expect(configWith({ TOTP_ENCRYPTION_KEY: `dev-only-${KEY_BASE64}` }).totpEncryptionKey).toEqual(KEY_BYTES);
  });

  it("splits CORS origins on commas, trimming each and dropping empty ones; * allows any and is not an origin", () => {
    expect(configWith({ CORS_ORIGINS: " https://shop.test , http://localhost:5173,, " }).cors).toEqual({
      origins: ["https://shop.test", "http://localhost:5173"],
      allowAny: false,
    });
    expect(configWith({ CORS_ORIGINS: "https://shop.test,*" }).cors).toEqual({
      origins: ["https://shop.test"],
      allowAny: true,
    });
  });

  it("splits webhook secrets the same way; none configured is an empty list", () => {
    expect(configWith({ STRIPE_WEBHOOK_SECRET: " whsec_a, whsec_b ,," }).stripeWebhookSecrets).toEqual([
      "whsec_a",
      "whsec_b",
    ]);
    expect(configWith({ STRIPE_WEBHOOK_SECRET: "  " }).stripeWebhookSecrets).toEqual([]);
  });

  it("reads Stripe secret and restricted keys, test or live", () => {
    for (const key of ["sk_test_abc123", "sk_live_abc123", "rk_test_abc", "rk_live_ABC_123"]) {
      expect(configWith({ STRIPE_SECRET_KEY: key }).stripeSecretKey, key).toBe(key);
    }
  });

  it("drops trailing slashes from PUBLIC_APP_URL, and accepts http outside deployed environments", () => {
    expect(configWith({ PUBLIC_APP_URL: "https://shop.test/app//" }).publicAppUrl).toBe("https://shop.test/app");
    expect(configWith({ PUBLIC_APP_URL: "http://localhost:5173/" }).publicAppUrl).toBe("http://localhost:5173");
  });

  it("has an email configuration only when URL, key and sender are all set, each trimmed", () => {
    const email = {
      EMAIL_API_URL: " https://email.test/send ",
      EMAIL_API_KEY: " key ",
      EMAIL_FROM: " Shop <a@shop.test> ",
    };
    expect(configWith(email).email).toEqual({
      apiUrl: "https://email.test/send",
      apiKey: "key",
      from: "Shop <a@shop.test>",
    });
    for (const variable of ["EMAIL_API_URL", "EMAIL_API_KEY", "EMAIL_FROM"]) {
      expect(configWith({ ...email, [variable]: undefined }).email, `without ${variable}`).toBeUndefined();
      expect(configWith({ ...email, [variable]: "   " }).email, `with a blank ${variable}`).toBeUndefined();
    }
  });

  it("accepts an http email API outside deployed environments (a local mail catcher)", () => {
    const email = { EMAIL_API_URL: "http://localhost:8025/send", EMAIL_API_KEY: "key", EMAIL_FROM: "dev@shop.test" };
    expect(configWith(email).email).toEqual({
      apiUrl: "http://localhost:8025/send",
      apiKey: "key",
      from: "dev@shop.test",
    });
  });

  it("reads the store currency as a lower-case ISO 4217 code", () => {
    expect(configWith({ STORE_CURRENCY: "eur" }).storeCurrency).toBe("eur");
  });
});

describe("parseConfig: numeric settings and limits, up to their maximum", () => {
  const settings: [variable: string, typical: number, max: number, read: (config: AppConfig) => unknown][] = [
    ["ACCESS_TOKEN_TTL_MINUTES", 15, 24 * 60, (config) => config.jwt.accessTokenTtlSeconds / 60],
    ["REFRESH_TOKEN_TTL_DAYS", 7, 365, (config) => config.refreshTokenTtlDays],
    ["ARGON2_MEMORY_KIB", 65_536, 262_144, (config) => config.argon2.memoryKib],
    ["ARGON2_ITERATIONS", 3, 10, (config) => config.argon2.iterations],
    ["MAX_BODY_BYTES", 1024, 10 * 1024 * 1024, (config) => config.maxBodyBytes],
    ["PASSWORD_RESET_TTL_MINUTES", 10, 24 * 60, (config) => config.passwordResetTtlMinutes],
    ["EMAIL_VERIFICATION_TTL_HOURS", 2, 24 * 14, (config) => config.emailVerificationTtlHours],
    ["MAX_QTY_PER_LINE", 5, 1000, (config) => config.cart.maxQuantityPerLine],
    ["MAX_CART_LINES", 20, 1000, (config) => config.cart.maxLines],
    ["RESERVATION_TTL_SECONDS", 60, 24 * 60 * 60, (config) => config.reservationTtlSeconds],
    ["PAYMENT_EVENT_RETRY_SECONDS", 2, 300, (config) => config.paymentEventRetrySeconds],
  ];

  it.each(settings)("%s: a typical value and the maximum are read as numbers", (variable, typical, max, read) => {
    expect(read(configWith({ [variable]: String(typical) }))).toBe(typical);
    expect(read(configWith({ [variable]: String(max) }))).toBe(max);
  });

  it("the access token lifetime is configured in minutes and used in seconds", () => {
    expect(configWith({ ACCESS_TOKEN_TTL_MINUTES: "15" }).jwt.accessTokenTtlSeconds).toBe(900);
  });
});

describe("loadConfig", () => {
  it("parses an environment object once: the same object gets the same result", () => {
    const env = envWith(MINIMAL_ENV);
    const first = loadConfig(env);
    expect(first).toMatchObject({ ok: true });
    expect(loadConfig(env)).toBe(first);
  });

  it("parses another environment object on its own", () => {
    const first = loadConfig(envWith(MINIMAL_ENV));
    const other = loadConfig(envWith(MINIMAL_ENV, { ENVIRONMENT: "development" }));
    expect(other).not.toBe(first);
    expect(other.ok && other.config.isDevelopment).toBe(true);
  });
});
