import { describe, expect, it } from "vitest";
import { type AppConfig, OWASP_ARGON2, parseConfig } from "../../../src/platform/config";
import { PRODUCTION_ENV } from "../support/worker";

function configFor(env: Record<string, string | undefined>): AppConfig {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const DEVELOPMENT = {
  ENVIRONMENT: "development",
  DATABASE_URL: "http://127.0.0.1:8080",
  JWT_SECRET: "dev-only-0123456789abcdef0123456789abcdef",
  TOTP_ENCRYPTION_KEY: "dev-only-cHJvZHVjdGlvbi1ncmFkZS10b3RwLWtleS0zMmJ5dGU=",
};

describe("configuration defaults", () => {
  it("production: OWASP argon2id, 60-minute access and 30-day refresh tokens, admin 2FA required, HTTP email", () => {
    const config = configFor(PRODUCTION_ENV);
    expect(config.argon2).toEqual(OWASP_ARGON2);
    expect(config.jwt.accessTokenTtlSeconds).toBe(3600);
    expect(config.refreshTokenTtlDays).toBe(30);
    expect(config.adminRequire2fa).toBe(true);
    expect(config.email?.apiUrl).toBe("https://email.test/send");
    expect(config.passwordResetTtlMinutes).toBe(30);
    expect(config.emailVerificationTtlHours).toBe(24);
    expect(configFor({ ...PRODUCTION_ENV, ENVIRONMENT: "staging" }).adminRequire2fa).toBe(true);
  });

  it("development: generated dev-only secrets accepted, admin 2FA off, the outbox instead of an email API", () => {
    const config = configFor(DEVELOPMENT);
    expect(config.adminRequire2fa).toBe(false);
    expect(config.email).toBeUndefined();
    expect(config.totpEncryptionKey.byteLength).toBe(32);
    expect(config.publicAppUrl).toBe("http://localhost:3000");
    expect(configFor({ ...DEVELOPMENT, ADMIN_REQUIRE_2FA: "true" }).adminRequire2fa).toBe(true);
  });
});
