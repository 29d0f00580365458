import { describe, expect, it } from "vitest";
import { callWorker } from "../support/worker";

describe("security headers", () => {
  it("API responses carry HSTS, nosniff, no-referrer and a deny-all CSP", async () => {
    for (const path of ["/health", "/api/missing"]) {
      const response = await callWorker(path);
      expect(response.headers.get("strict-transport-security"), path).toBe("max-age=31536000; includeSubDomains");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(response.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("responses are no-store unless a route chooses caching, and always no-store for a request with credentials", async () => {
    expect((await callWorker("/health")).headers.get("cache-control")).toBe("no-store");
    // The public catalog chooses to be cached; the same answer to a request that carried credentials is not.
    const anonymous = await callWorker("/api/products?limit=1");
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("cache-control")).toBe("public, no-cache");
    const authenticated = await callWorker("/api/products?limit=1", { headers: { authorization: "Bearer whatever" } });
    expect(authenticated.status).toBe(200);
    expect(authenticated.headers.get("cache-control")).toBe("no-store");
  });
});
