import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/platform/config";
import { type EnvOverrides, PRODUCTION_ENV, TEST_BINDINGS } from "../../fixtures/environments";

/** The suite's bindings under a deployed configuration, with `overrides` on top (undefined removes a variable). */
function productionWith(overrides: EnvOverrides = {}): Record<string, string> {
  const merged: EnvOverrides = { ...TEST_BINDINGS, ...PRODUCTION_ENV, ...overrides };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

describe("deployed configuration refusals, each naming its variable", () => {
  it("the production configuration the tests use is itself valid", () => {
    expect(parseConfig(productionWith())).toMatchObject({ ok: true });
  });

  it("a * CORS origin is refused in production, for that reason alone", () => {
    expect(parseConfig(productionWith({ CORS_ORIGINS: "*" }))).toEqual({
      ok: false,
      problems: [{ variable: "CORS_ORIGINS", message: "may not be * in staging and production" }],
    });
  });

  it("a * among real origins is refused too", () => {
    const result = parseConfig(productionWith({ CORS_ORIGINS: "https://shop.test,*" }));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.variable)).toEqual(["CORS_ORIGINS"]);
  });

  it("outside staging and production, * is allowed (and never with credentials, per the CORS tests)", () => {
    const result = parseConfig({ ...productionWith({ CORS_ORIGINS: "*" }), ENVIRONMENT: "test" });
    expect(result.ok).toBe(true);
    expect(result.ok && result.config.cors).toEqual({ origins: [], allowAny: true });
  });
});

describe("deployed configuration refusals, one by one", () => {
  const remoteOnly = "must be a remote libsql:// or https:// URL in staging and production";
  const tlsOff = "may not turn TLS off (?tls=0) in staging and production";
  const devOrPlaceholder = "is a development or placeholder value";
  const padded = (value: string) => `${value}-${"q".repeat(32)}`;
  const refusals: [description: string, overrides: EnvOverrides, variable: string, message: string][] = [
    ["a database over plain HTTP", { DATABASE_URL: "http://db.example.com" }, "DATABASE_URL", remoteOnly],
    ["a database over plain WebSocket", { DATABASE_URL: "ws://db.example.com" }, "DATABASE_URL", remoteOnly],
    ["a database on localhost", { DATABASE_URL: "libsql://LOCALHOST:8080" }, "DATABASE_URL", remoteOnly],
    ["a database on a loopback address", { DATABASE_URL: "libsql://127.10.20.30" }, "DATABASE_URL", remoteOnly],
    ["a database on IPv6 loopback", { DATABASE_URL: "https://[::1]:8080" }, "DATABASE_URL", remoteOnly],
    ["a database on 0.0.0.0", { DATABASE_URL: "wss://0.0.0.0" }, "DATABASE_URL", remoteOnly],
    [
      "a remote database over plain HTTP on an IP",
      { DATABASE_URL: "http://10.0.0.5:8080" },
      "DATABASE_URL",
      remoteOnly,
    ],
    ["a remote database over plain WebSocket", { DATABASE_URL: "ws://db.internal:8080" }, "DATABASE_URL", remoteOnly],
    [
      "immediate payment-event retries",
      { PAYMENT_EVENT_RETRY_SECONDS: "0" },
      "PAYMENT_EVENT_RETRY_SECONDS",
      "may not be 0 in staging and production",
    ],
    ["a libsql:// database with TLS off", { DATABASE_URL: "libsql://shop.turso.io:443?tls=0" }, "DATABASE_URL", tlsOff],
    [
      "TLS turned off after being turned on (libSQL reads the last)",
      { DATABASE_URL: "libsql://shop.turso.io:443?tls=1&tls=0" },
      "DATABASE_URL",
      tlsOff,
    ],
    [
      "TLS off with the parameter name percent-encoded",
      { DATABASE_URL: "LIBSQL://shop.turso.io:443?tl%73=0" },
      "DATABASE_URL",
      tlsOff,
    ],
    [
      "TLS off next to another parameter",
      { DATABASE_URL: "libsql://shop.turso.io:443/?authToken=x&tls=0" },
      "DATABASE_URL",
      tlsOff,
    ],
    ["TLS off on a wss:// URL", { DATABASE_URL: "wss://shop.turso.io:443?tls=0" }, "DATABASE_URL", tlsOff],
    [
      "no database token",
      { DATABASE_AUTH_TOKEN: undefined },
      "DATABASE_AUTH_TOKEN",
      "is required in staging and production",
    ],
    ["a generated JWT secret", { JWT_SECRET: padded("dev-only") }, "JWT_SECRET", devOrPlaceholder],
    ["a changeme JWT secret", { JWT_SECRET: padded("changeme") }, "JWT_SECRET", devOrPlaceholder],
    ["a change-me JWT secret", { JWT_SECRET: padded("change-me") }, "JWT_SECRET", devOrPlaceholder],
    ["a CHANGE_ME JWT secret", { JWT_SECRET: padded("CHANGE_ME") }, "JWT_SECRET", devOrPlaceholder],
    ["a change me JWT secret", { JWT_SECRET: padded("change me") }, "JWT_SECRET", devOrPlaceholder],
    ["a placeholder JWT secret", { JWT_SECRET: padded("placeholder") }, "JWT_SECRET", devOrPlaceholder],
    ["an example JWT secret", { JWT_SECRET: padded("Example") }, "JWT_SECRET", devOrPlaceholder],
    ["an xxxxx JWT secret", { JWT_SECRET: padded("xxxxx") }, "JWT_SECRET", devOrPlaceholder],
    [
      "a generated previous JWT secret",
      { JWT_SECRET_PREVIOUS: padded("dev-only") },
      "JWT_SECRET_PREVIOUS",
      devOrPlaceholder,
    ],
    [
      "argon2 memory below OWASP's floor",
      { ARGON2_MEMORY_KIB: "19455" },
      "ARGON2_MEMORY_KIB",
      "may not be below 19456 in staging and production",
    ],
    [
      "argon2 iterations below OWASP's floor",
      { ARGON2_ITERATIONS: "1" },
      "ARGON2_ITERATIONS",
      "may not be below 2 in staging and production",
    ],
    [
      "a generated TOTP key",
      { TOTP_ENCRYPTION_KEY: `dev-only-${PRODUCTION_ENV.TOTP_ENCRYPTION_KEY}` },
      "TOTP_ENCRYPTION_KEY",
      "is a development value",
    ],
    ...(["EMAIL_API_URL", "EMAIL_API_KEY", "EMAIL_FROM"] as const).map(
      (variable): [string, EnvOverrides, string, string] => [
        `no ${variable}`,
        { [variable]: undefined },
        variable,
        "is required in staging and production (outgoing email)",
      ],
    ),
    [
      "the mock payment provider",
      { STRIPE_SECRET_KEY: undefined },
      "STRIPE_SECRET_KEY",
      "is required in production (the mock provider is not allowed)",
    ],
    ["a Stripe test-mode key", { STRIPE_SECRET_KEY: "sk_test_fake" }, "STRIPE_SECRET_KEY", "is a test-mode key"],
    [
      "a Stripe key without a webhook secret",
      { STRIPE_WEBHOOK_SECRET: undefined },
      "STRIPE_WEBHOOK_SECRET",
      "is required with STRIPE_SECRET_KEY in staging and production",
    ],
    [
      "a Stripe key with only blank webhook secrets",
      { STRIPE_WEBHOOK_SECRET: " , " },
      "STRIPE_WEBHOOK_SECRET",
      "is required with STRIPE_SECRET_KEY in staging and production",
    ],
    [
      "an http app URL",
      { PUBLIC_APP_URL: "http://shop.test" },
      "PUBLIC_APP_URL",
      "must be an https URL in staging and production",
    ],
    [
      "an http CORS origin among https ones",
      { CORS_ORIGINS: "https://shop.test,http://admin.shop.test" },
      "CORS_ORIGINS",
      "must list https origins only in staging and production",
    ],
  ];

  it.each(refusals)("production refuses %s, and says only that", (_case, overrides, variable, message) => {
    expect(parseConfig(productionWith(overrides))).toEqual({ ok: false, problems: [{ variable, message }] });
  });

  it("staging refuses a plaintext database too, naming DATABASE_URL", () => {
    const result = parseConfig(productionWith({ ENVIRONMENT: "staging", DATABASE_URL: "libsql://db.test:8080?tls=0" }));
    expect(result).toEqual({ ok: false, problems: [{ variable: "DATABASE_URL", message: tlsOff }] });
  });

  it("staging refuses the same development values", () => {
    const result = parseConfig(productionWith({ ENVIRONMENT: "staging", JWT_SECRET: padded("dev-only") }));
    expect(result).toEqual({ ok: false, problems: [{ variable: "JWT_SECRET", message: devOrPlaceholder }] });
  });

  it("staging may use the mock provider or a Stripe test-mode key", () => {
    expect(parseConfig(productionWith({ ENVIRONMENT: "staging", STRIPE_SECRET_KEY: undefined }))).toMatchObject({
      ok: true,
    });
    expect(parseConfig(productionWith({ ENVIRONMENT: "staging", STRIPE_SECRET_KEY: "sk_test_fake" }))).toMatchObject({
      ok: true,
    });
  });

  it("a payment-event retry delay of 1 second is accepted (only 0 is refused)", () => {
    expect(parseConfig(productionWith({ PAYMENT_EVENT_RETRY_SECONDS: "1" }))).toMatchObject({ ok: true });
  });

  it("remote databases over TLS are accepted, whatever their host is called", () => {
    for (const url of [
      "https://db.example.com",
      "wss://db.example.com",
      "libsql://not-localhost",
      "libsql://localhost-replica.turso.io",
      "libsql://shop.turso.io?tls=1",
    ]) {
      expect(parseConfig(productionWith({ DATABASE_URL: url })), url).toMatchObject({ ok: true });
    }
  });

  it("secrets that only contain a development marker later on, and a well-made previous secret, are accepted", () => {
    const result = parseConfig(
      productionWith({
        JWT_SECRET: `production-secret-dev-only-${"q".repeat(16)}`,
        JWT_SECRET_PREVIOUS: "r".repeat(40),
      }),
    );
    expect(result).toMatchObject({ ok: true });
  });

  it("outside staging and production, none of this is checked", () => {
    const development = {
      ENVIRONMENT: "development",
      DATABASE_URL: "http://127.0.0.1:8080",
      JWT_SECRET: padded("dev-only"),
    };
    expect(
      parseConfig(
        productionWith({ ...development, DATABASE_AUTH_TOKEN: undefined, PUBLIC_APP_URL: "http://localhost:3000" }),
      ),
    ).toMatchObject({
      ok: true,
    });
  });
});
