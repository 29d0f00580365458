import { describe, expect, it } from "vitest";
import { callWorker, callWorkerWith, readProblem } from "../support/worker";

const LISTED = "https://shop.test";
const UNLISTED = "https://evil.test";

describe("CORS", () => {
  it("a listed origin is allowed, with credentials and Vary: Origin", async () => {
    const response = await callWorker("/health", { headers: { origin: LISTED } });
    expect(response.headers.get("access-control-allow-origin")).toBe(LISTED);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("an unlisted origin is never reflected", async () => {
    for (const origin of [UNLISTED, "https://shop.test.evil.test", "null", "https://SHOP.test"]) {
      const response = await callWorker("/health", { headers: { origin } });
      expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("a preflight from a listed origin gets the allowed methods and headers", async () => {
    const response = await callWorker("/health", {
      method: "OPTIONS",
      headers: {
        origin: LISTED,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(LISTED);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(response.headers.get("access-control-max-age")).toBe("600");
  });

  it("a preflight from an unlisted origin gets no CORS grant", async () => {
    const response = await callWorker("/health", {
      method: "OPTIONS",
      headers: { origin: UNLISTED, "access-control-request-method": "POST" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("`*` outside production is sent as `*` and never with credentials", async () => {
    const response = await callWorkerWith({ CORS_ORIGINS: "*" }, "/health", { headers: { origin: UNLISTED } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("`*` is refused in production", async () => {
    const response = await callWorkerWith(
      {
        ENVIRONMENT: "production",
        DATABASE_URL: "libsql://shop-production.turso.io",
        DATABASE_AUTH_TOKEN: "turso-token-for-tests",
        JWT_SECRET: "a-production-grade-secret-with-more-than-32-bytes",
        CORS_ORIGINS: "*",
      },
      "https://api.test/health",
    );
    expect(response.status).toBe(500);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:configuration_error");
  });
});
