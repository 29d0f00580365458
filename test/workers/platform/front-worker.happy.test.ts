import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createFront } from "../../../src/front";
import { signedInUser } from "../support/accounts";
import { BASE_URL } from "../support/worker";

/** The front Worker with a placed Worker that records what reaches it and answers 202. */
function frontWithPlaced() {
  const forwarded: { method: string; url: string; authorization: string | null; body: string }[] = [];
  const placed = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      forwarded.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.get("Authorization"),
        body: await request.text(),
      });
      return new Response(null, { status: 202 });
    },
  } as Fetcher;
  const front = createFront();
  const call = async (path: string, init: RequestInit = {}) => {
    const ctx = createExecutionContext();
    const response = await front.fetch(new Request(new URL(path, BASE_URL), init), { ...env, PLACED: placed }, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  return { call, forwarded };
}

describe("the front Worker answers reads at the edge and sends writes to the placed Worker", () => {
  it("answers GET, HEAD and OPTIONS itself, signed in or not", async () => {
    const { call, forwarded } = frontWithPlaced();
    const shopper = await signedInUser();
    expect((await call("/api/products")).status).toBe(200);
    expect((await call("/api/products", { method: "HEAD" })).status).toBe(200);
    const me = await call("/api/users/me", { headers: { Authorization: `Bearer ${shopper.tokens.access_token}` } });
    expect(me.status).toBe(200);
    const preflight = await call("/api/cart/items", {
      method: "OPTIONS",
      headers: { Origin: "https://shop.test", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(forwarded).toEqual([]);
  });

  it("forwards every write as it came: method, URL, credentials and body", async () => {
    const { call, forwarded } = frontWithPlaced();
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const response = await call("/api/cart/items?x=1", {
        method,
        headers: { Authorization: "Bearer abc", "content-type": "application/json" },
        body: JSON.stringify({ method }),
      });
      expect(response.status, method).toBe(202);
    }
    expect(forwarded).toEqual(
      ["POST", "PUT", "PATCH", "DELETE"].map((method) => ({
        method,
        url: `${BASE_URL}/api/cart/items?x=1`,
        authorization: "Bearer abc",
        body: JSON.stringify({ method }),
      })),
    );
  });
});
