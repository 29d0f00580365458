import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import packageJson from "../../../package.json" with { type: "json" };
import { createFront, type FrontEnv } from "../../../src/front";
import { BASE_URL, callWorker } from "../support/worker";

/**
 * The Worker's static assets, as the asset router serves them before the Worker runs. The pool's `exports.default`
 * calls the Worker itself, never the router (miniflare leaves the test runner out of asset routing), so the
 * tests reach the same asset service through the `ASSETS` binding. (The router itself, in front of the Worker, is
 * checked on the Node side: test/node/openapi-document.happy.test.ts.)
 */
const assets = env.ASSETS;

async function docsPage() {
  const response = await callWorker("/docs");
  expect(response.status).toBe(200);
  const directives = new Map(
    (response.headers.get("content-security-policy") ?? "").split(";").map((directive) => {
      const [name = "", ...sources] = directive.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"[^>]*>/g)];
  return { response, directives, html, scripts };
}

async function sha384(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

describe("GET /docs", () => {
  it("loads one script, from this origin, by a path naming the pinned Scalar version", async () => {
    const { scripts } = await docsPage();
    expect(scripts).toHaveLength(1);
    const url = new URL(scripts[0]?.[1] ?? "", BASE_URL);
    expect(url.origin).toBe(BASE_URL);
    expect(url.pathname).toBe(`/docs/scalar/${packageJson.devDependencies["@scalar/api-reference"]}/standalone.js`);
  });

  it("its CSP allows that one script URL and no other origin: no CDN, no font host, no unsafe-eval", async () => {
    const { directives, html, scripts } = await docsPage();
    const scriptUrl = new URL(scripts[0]?.[1] ?? "", BASE_URL).href;
    expect(directives.get("script-src")).toEqual([scriptUrl]);
    expect(directives.get("default-src")).toEqual(["'none'"]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    // Scalar is told not to fetch its web fonts, which the CSP would refuse anyway.
    expect(html).toContain(`data-configuration='{"withDefaultFonts":false}'`);
    const allowed = [...directives.values()].flat();
    expect(allowed).not.toContain("'unsafe-eval'");
    // Every source is a keyword, data:, or this origin's script: the page needs nothing from the network but the API.
    for (const source of allowed) {
      expect(["'none'", "'self'", "'unsafe-inline'", "data:", scriptUrl], source).toContain(source);
    }
  });

  it("the script's integrity attribute is the SHA-384 of the bytes the Worker's assets serve at its path", async () => {
    const { scripts } = await docsPage();
    const [tag = "", src = ""] = scripts[0] ?? [];
    const integrity = /\sintegrity="(sha384-[A-Za-z0-9+/]+={0,2})"/.exec(tag)?.[1];
    expect(tag).toContain('crossorigin="anonymous"');
    const served = await assets.fetch(new URL(src, BASE_URL));
    expect(served.status).toBe(200);
    const bytes = await served.arrayBuffer();
    expect(bytes.byteLength).toBeGreaterThan(1_000_000);
    expect(integrity).toBe(await sha384(bytes));
  });

  it("the script is served as JavaScript, nosniff, and cached for a year (its path names its version)", async () => {
    const { scripts } = await docsPage();
    const served = await assets.fetch(new URL(scripts[0]?.[1] ?? "", BASE_URL));
    await served.body?.cancel();
    expect(served.headers.get("content-type")).toMatch(/^text\/javascript\b/);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // The Worker never runs for it: public/_headers gives it the security headers the Worker gives its own answers.
    expect(served.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(served.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("links the OpenAPI document for a browser that runs no script", async () => {
    const { html } = await docsPage();
    expect(html).toMatch(/<noscript>[\s\S]*<a href="\/openapi\.json">[\s\S]*<\/noscript>/);
    // Outside <noscript> too: a browser whose scripts are on but blocked (or failed the integrity check) shows it.
    expect(html.replace(/<noscript>[\s\S]*<\/noscript>/, "")).toContain('<a href="/openapi.json">');
    expect(html).toContain('data-url="/openapi.json"');
  });

  it("the front Worker answers it at the edge, the same page", async () => {
    const placed = {
      fetch: () => Promise.reject(new Error("a GET must not reach the placed Worker")),
    } as unknown as Fetcher;
    const ctx = createExecutionContext();
    const response = await createFront().fetch(
      new Request(new URL("/docs", BASE_URL)),
      {
        ...env,
        PLACED: placed,
      } as FrontEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe((await docsPage()).html);
  });
});
