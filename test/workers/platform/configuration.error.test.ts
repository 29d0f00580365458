import { afterEach, describe, expect, it, vi } from "vitest";
import { callWorkerWith, type EnvOverrides, PRODUCTION_ENV, readProblem } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

async function expectConfigurationError(overrides: EnvOverrides, variable: string) {
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  const response = await callWorkerWith(overrides, "https://api.test/health");
  expect(response.status).toBe(500);
  const problem = await readProblem(response);
  expect(problem).toMatchObject({
    type: "urn:edge-commerce:problem:configuration_error",
    title: "Configuration Error",
    status: 500,
  });
  const log = logged.mock.calls.map(([line]) => String(line)).join("\n");
  expect(log).toContain('"configuration_error"');
  expect(log).toContain(`"variable":"${variable}"`);
  return { problem, log };
}

describe("configuration errors", () => {
  it("a JWT_SECRET shorter than 32 bytes stops every request, and the log names it without its value", async () => {
    const weak = "short-weak-secret-xyz";
    const { problem, log } = await expectConfigurationError({ JWT_SECRET: weak }, "JWT_SECRET");
    expect(JSON.stringify(problem)).not.toContain(weak);
    expect(log).not.toContain(weak);
    const otherRoute = await callWorkerWith({ JWT_SECRET: weak }, "https://api.test/openapi.json");
    expect(otherRoute.status).toBe(500);
  });

  it("a missing or malformed DATABASE_URL", async () => {
    await expectConfigurationError({ DATABASE_URL: "" }, "DATABASE_URL");
    await expectConfigurationError({ DATABASE_URL: "postgres://db.test/shop" }, "DATABASE_URL");
  });

  it("an unknown ENVIRONMENT", async () => {
    await expectConfigurationError({ ENVIRONMENT: "prod" }, "ENVIRONMENT");
  });

  it("a CORS origin with a path", async () => {
    await expectConfigurationError({ CORS_ORIGINS: "https://shop.test/app" }, "CORS_ORIGINS");
  });

  it("development defaults are refused in production", async () => {
    await expectConfigurationError(
      { ...PRODUCTION_ENV, JWT_SECRET: "dev-only-0123456789abcdef0123456789abcdef" },
      "JWT_SECRET",
    );
    await expectConfigurationError({ ...PRODUCTION_ENV, DATABASE_URL: "http://127.0.0.1:8080" }, "DATABASE_URL");
    await expectConfigurationError({ ...PRODUCTION_ENV, DATABASE_AUTH_TOKEN: "" }, "DATABASE_AUTH_TOKEN");
    await expectConfigurationError({ ...PRODUCTION_ENV, CORS_ORIGINS: "http://localhost:3000" }, "CORS_ORIGINS");
    await expectConfigurationError({ ...PRODUCTION_ENV, ARGON2_MEMORY_KIB: "8192" }, "ARGON2_MEMORY_KIB");
    await expectConfigurationError(
      { ...PRODUCTION_ENV, TOTP_ENCRYPTION_KEY: `dev-only-${PRODUCTION_ENV.TOTP_ENCRYPTION_KEY}` },
      "TOTP_ENCRYPTION_KEY",
    );
    await expectConfigurationError({ ...PRODUCTION_ENV, EMAIL_API_KEY: undefined }, "EMAIL_API_KEY");
    await expectConfigurationError({ ...PRODUCTION_ENV, PUBLIC_APP_URL: "http://shop.test" }, "PUBLIC_APP_URL");
    await expectConfigurationError({ ...PRODUCTION_ENV, ARGON2_ITERATIONS: "1" }, "ARGON2_ITERATIONS");
    await expectConfigurationError(
      { ...PRODUCTION_ENV, JWT_SECRET_PREVIOUS: "dev-only-0123456789abcdef0123456789abcdef" },
      "JWT_SECRET_PREVIOUS",
    );
  });

  it("a TOTP_ENCRYPTION_KEY that is missing or not 32 base64 bytes", async () => {
    await expectConfigurationError({ TOTP_ENCRYPTION_KEY: undefined }, "TOTP_ENCRYPTION_KEY");
    await expectConfigurationError({ TOTP_ENCRYPTION_KEY: "c2hvcnQ=" }, "TOTP_ENCRYPTION_KEY");
    await expectConfigurationError({ TOTP_ENCRYPTION_KEY: "not base64 at all!" }, "TOTP_ENCRYPTION_KEY");
  });

  it("a JWT_SECRET_PREVIOUS shorter than 32 bytes", async () => {
    await expectConfigurationError({ JWT_SECRET_PREVIOUS: "too-short" }, "JWT_SECRET_PREVIOUS");
  });

  it("payments: production needs a live Stripe key and a webhook secret; a malformed key is refused anywhere", async () => {
    await expectConfigurationError({ ...PRODUCTION_ENV, STRIPE_SECRET_KEY: undefined }, "STRIPE_SECRET_KEY");
    await expectConfigurationError({ ...PRODUCTION_ENV, STRIPE_SECRET_KEY: "sk_test_fake" }, "STRIPE_SECRET_KEY");
    await expectConfigurationError({ ...PRODUCTION_ENV, STRIPE_WEBHOOK_SECRET: undefined }, "STRIPE_WEBHOOK_SECRET");
    await expectConfigurationError({ STRIPE_SECRET_KEY: "pk_test_publishable" }, "STRIPE_SECRET_KEY");
  });

  it("a complete production configuration is accepted", async () => {
    const response = await callWorkerWith(PRODUCTION_ENV, "https://api.test/openapi.json");
    expect(response.status).toBe(200);
  });
});
