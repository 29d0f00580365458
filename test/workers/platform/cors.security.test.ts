import { describe, expect, it } from "vitest";
import { callWorker, callWorkerWith, readProblem } from "../support/worker";

const LISTED = "https://shop.test";
const UNLISTED = "https://evil.test";

/** Every Access-Control-* header of a response, by name. */
function accessControlHeaders(response: Response): string[] {
  return [...response.headers.keys()].filter((name) => name.toLowerCase().startsWith("access-control-"));
}

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

  it("a listed origin is told it may read Idempotent-Replayed and the other API headers", async () => {
    const response = await callWorker("/health", { headers: { origin: LISTED } });
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").split(",").map((name) => name.trim());
    expect(exposed).toEqual(expect.arrayContaining(["Idempotent-Replayed", "X-Request-ID", "Retry-After", "ETag"]));
  });

  it("an unlisted origin, or none, gets no Access-Control-* header at all (not even Allow-Credentials)", async () => {
    const cases: [label: string, headers: Record<string, string>][] = [
      ["unlisted", { origin: UNLISTED }],
      ["a suffix of a listed origin", { origin: "https://shop.test.evil.test" }],
      ["null", { origin: "null" }],
      ["no Origin", {}],
    ];
    for (const [label, headers] of cases) {
      const response = await callWorker("/health", { headers });
      expect(response.status, label).toBe(200);
      expect(accessControlHeaders(response), label).toEqual([]);
      expect(response.headers.get("vary"), label).toContain("Origin");
    }
  });

  it("a preflight from an unlisted origin gets no Access-Control-* header at all, and still Vary: Origin", async () => {
    const response = await callWorker("/api/auth/login", {
      method: "OPTIONS",
      headers: {
        origin: UNLISTED,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(accessControlHeaders(response)).toEqual([]);
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("a preflight from a listed origin still gets credentials and Vary: Origin", async () => {
    const response = await callWorker("/api/auth/login", {
      method: "OPTIONS",
      headers: { origin: LISTED, "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(LISTED);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("vary")).toContain("Origin");
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
