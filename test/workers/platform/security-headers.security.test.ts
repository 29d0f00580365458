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

  it("the docs page has its own CSP that lets the pinned reference script load, and nothing else", async () => {
    const response = await callWorker("/docs");
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    const html = await response.text();
    expect(html).toMatch(/<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/@scalar\/api-reference@\d+\.\d+\.\d+\//);
    expect(html).toMatch(/integrity="sha384-[A-Za-z0-9+/]+={0,2}"/);
    expect(html).toContain('data-url="/openapi.json"');
  });

  it("the docs page's script-src is the exact script URL the page loads, never the whole CDN host", async () => {
    const response = await callWorker("/docs");
    expect(response.status).toBe(200);
    const directives = (response.headers.get("content-security-policy") ?? "").split(";").map((d) => d.trim());
    const scriptSrc = directives.filter((directive) => directive.startsWith("script-src "));
    expect(scriptSrc).toHaveLength(1);
    const sources = scriptSrc[0]?.split(/\s+/).slice(1) ?? [];
    // One source, a full URL with a path to a file: a bare host (or a path ending in `/`) would allow every
    // script the CDN serves.
    expect(sources).toHaveLength(1);
    const [source = ""] = sources;
    const url = new URL(source);
    expect(url.protocol).toBe("https:");
    expect(url.pathname).toMatch(/^\/npm\/@scalar\/api-reference@\d+\.\d+\.\d+\/.+\.js$/);
    expect(source).not.toMatch(/[*]/);
    // The page loads exactly that URL, with its integrity attribute.
    const html = await response.text();
    const loaded = [...html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"[^>]*>/g)];
    expect(loaded.map((match) => match[1])).toEqual([source]);
    expect(loaded[0]?.[0]).toMatch(/\sintegrity="sha384-[A-Za-z0-9+/]+={0,2}"/);
  });
});
