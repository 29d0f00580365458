import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useFreshStack, useUnreachableDatabaseWorker } from "./support/fresh-stack.ts";
import { checkExchanges, type OpenApiDocument } from "./support/openapi-conformance.ts";

interface Answer {
  status: number;
  headers: Headers;
  body: string;
  /** The body parsed, or undefined when it is empty or not JSON. */
  json: Record<string, unknown> | undefined;
}

/** What one deliberate request is meant to produce: its status, its problem code and the headers it must carry. */
interface Expected {
  status: number;
  problem?: string;
  headers?: Record<string, RegExp>;
}

const PROBLEM = "urn:edge-commerce:problem:";
/** The client address of every request but the rate limiter's, which has a budget of its own. */
const CLIENT_IP = "198.51.100.7";
const FLOODING_CLIENT_IP = "198.51.100.8";
/** Over the default MAX_BODY_BYTES (102400). */
const OVERSIZED = 102_400 + 1;

describe("the problem answers and headers /openapi.json promises", () => {
  const stack = useFreshStack();
  const withoutDatabase = useUnreachableDatabaseWorker();

  it("occur against a fresh stack, each as the document describes it", async () => {
    const { harness, proxy } = stack;
    const occurred: string[] = [];

    async function send(
      method: string,
      path: string,
      options: { headers?: Record<string, string>; json?: unknown; body?: string; via?: string } = {},
    ): Promise<Answer> {
      const headers: Record<string, string> = { "cf-connecting-ip": CLIENT_IP, ...options.headers };
      let body = options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${options.via ?? proxy.url}${path}`, { method, headers, body });
      const text = await response.text();
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, body: text, json };
    }

    /** Sends a request meant to produce `expected`, checks that it did, and notes it as covered. */
    async function expectAnswer(
      intent: string,
      expected: Expected,
      method: string,
      path: string,
      options?: Parameters<typeof send>[2],
    ): Promise<Answer> {
      const answer = await send(method, path, options);
      const shown = `${intent}: ${method} ${path} → ${answer.status} ${answer.body.slice(0, 300)}`;
      expect(answer.status, shown).toBe(expected.status);
      if (expected.problem) expect(answer.json?.type, shown).toBe(`${PROBLEM}${expected.problem}`);
      for (const [name, pattern] of Object.entries(expected.headers ?? {})) {
        expect(answer.headers.get(name) ?? "(not sent)", `${shown}: ${name}`).toMatch(pattern);
      }
      occurred.push(`${expected.status}${expected.problem ? ` ${expected.problem}` : ""}`);
      for (const name of Object.keys(expected.headers ?? {})) occurred.push(name.toLowerCase());
      return answer;
    }

    const email = `shopper-${randomUUID()}@example.com`;
    const password = "a quite unusual passphrase";
    await expectAnswer("register", { status: 201 }, "POST", "/api/auth/register", {
      json: { email, username: "shopper", password },
    });
    const login = await expectAnswer("sign in", { status: 200 }, "POST", "/api/auth/login", {
      json: { grant_type: "password", username: "shopper", password },
    });
    const bearer = { authorization: `Bearer ${String(login.json?.access_token)}` };

    // Authentication and authorisation.
    await expectAnswer(
      "no credentials on a user route",
      { status: 401, problem: "unauthorized", headers: { "WWW-Authenticate": /^Bearer realm="api"/ } },
      "GET",
      "/api/users/me",
    );
    await expectAnswer(
      "a token that is not one",
      { status: 401, problem: "invalid_token", headers: { "WWW-Authenticate": /error="invalid_token"/ } },
      "GET",
      "/api/users/me",
      { headers: { authorization: "Bearer not.a.token" } },
    );
    await expectAnswer(
      "a malformed Authorization header",
      { status: 400, problem: "invalid_request", headers: { "WWW-Authenticate": /error="invalid_request"/ } },
      "GET",
      "/api/users/me",
      { headers: { authorization: "Bearer" } },
    );
    await expectAnswer(
      "an unknown cart token",
      { status: 401, problem: "invalid_cart_token", headers: { "WWW-Authenticate": /^Bearer realm="api"/ } },
      "GET",
      "/api/cart",
      { headers: { "cart-token": "ct_unknown" } },
    );
    await expectAnswer(
      "a shopper on an admin route",
      { status: 403, problem: "insufficient_scope", headers: { "WWW-Authenticate": /error="insufficient_scope"/ } },
      "GET",
      "/api/admin/users",
      {
        headers: bearer,
      },
    );

    // The catalog: an unknown id, and revalidation by ETag.
    await expectAnswer("an unknown product", { status: 404, problem: "not_found" }, "GET", "/api/products/prd_unknown");
    const products = await expectAnswer("the catalog", { status: 200 }, "GET", "/api/products?q=earl%20grey");
    const product = (products.json?.data as { id: string }[] | undefined)?.[0]?.id ?? "(no product found)";
    const first = await expectAnswer(
      "a product",
      { status: 200, headers: { ETag: /./ } },
      "GET",
      `/api/products/${product}`,
    );
    await expectAnswer(
      "a product revalidated",
      { status: 304, headers: { ETag: /./ } },
      "GET",
      `/api/products/${product}`,
      { headers: { "if-none-match": first.headers.get("etag") ?? "" } },
    );
    const variant = (first.json?.variants as { id: string }[] | undefined)?.[0]?.id ?? "(no variant found)";

    // Bodies the API cannot take.
    const asShopper = { ...bearer, "content-type": "application/json" };
    await expectAnswer("malformed JSON", { status: 400, problem: "malformed_request" }, "POST", "/api/cart/items", {
      headers: asShopper,
      body: '{"variant_id":',
    });
    await expectAnswer(
      "a body that is not JSON",
      { status: 415, problem: "unsupported_media_type" },
      "POST",
      "/api/cart/items",
      {
        headers: { ...bearer, "content-type": "text/plain" },
        body: `variant_id=${variant}`,
      },
    );
    await expectAnswer("an invalid body", { status: 422, problem: "validation_error" }, "POST", "/api/cart/items", {
      json: { variant_id: variant, quantity: 0 },
      headers: bearer,
    });
    await expectAnswer(
      "a body over MAX_BODY_BYTES",
      { status: 413, problem: "payload_too_large" },
      "POST",
      "/api/cart/items",
      {
        json: { variant_id: variant, quantity: 1, padding: "x".repeat(OVERSIZED) },
        headers: bearer,
      },
    );

    // A method the path does not have.
    await expectAnswer(
      "a method the path does not list",
      { status: 405, problem: "method_not_allowed", headers: { Allow: /\bGET\b/ } },
      "DELETE",
      "/api/products",
    );

    // Checkout: an idempotent replay, a key reused for another request, a second open order.
    await expectAnswer("a cart line", { status: 201 }, "POST", "/api/cart/items", {
      json: { variant_id: variant, quantity: 1 },
      headers: bearer,
    });
    const options = await expectAnswer(
      "shipping options",
      { status: 200 },
      "GET",
      "/api/cart/shipping-options?country=GB",
      {
        headers: bearer,
      },
    );
    const shippingMethod = (options.json?.data as { id: string }[] | undefined)?.[0]?.id ?? "(no shipping method)";
    const checkout = {
      shipping_method_id: shippingMethod,
      shipping_address: {
        name: "Ada Lovelace",
        line1: "1 High St",
        city: "London",
        postal_code: "SW1A 1AA",
        country: "GB",
      },
    };
    const key = randomUUID();
    const order = await expectAnswer("checkout", { status: 201 }, "POST", "/api/orders", {
      json: checkout,
      headers: { ...bearer, "idempotency-key": key },
    });
    const replay = await expectAnswer(
      "the same checkout again",
      { status: 201, headers: { "Idempotent-Replayed": /^true$/ } },
      "POST",
      "/api/orders",
      { json: checkout, headers: { ...bearer, "idempotency-key": key } },
    );
    expect(replay.json).toEqual(order.json);
    await expectAnswer("the key with another body", { status: 422 }, "POST", "/api/orders", {
      json: { ...checkout, note: "another request" },
      headers: { ...bearer, "idempotency-key": key },
    });
    await expectAnswer("another line", { status: 201 }, "POST", "/api/cart/items", {
      json: { variant_id: variant, quantity: 1 },
      headers: bearer,
    });
    await expectAnswer(
      "a second checkout while the first awaits payment",
      { status: 409, problem: "open_order_exists" },
      "POST",
      "/api/orders",
      {
        json: checkout,
        headers: { ...bearer, "idempotency-key": randomUUID() },
      },
    );

    // A client over the sign-in limit (10 a minute), each attempt for a name of its own so that no backoff applies.
    // The limiter counts in fixed one-minute windows, so 10 attempts that straddle a window boundary are not yet
    // over it: attempts go on until one is refused. 21 fast ones span at most two windows, so one of those holds 11.
    const attempts: Answer[] = [];
    for (let attempt = 0; attempt < 21 && attempts.at(-1)?.status !== 429; attempt++) {
      attempts.push(
        await send("POST", "/api/auth/login", {
          json: { grant_type: "password", username: `nobody-${attempt}`, password },
          headers: { "cf-connecting-ip": FLOODING_CLIENT_IP },
        }),
      );
    }
    const refused = attempts.at(-1);
    const shown = `a sign-in over the limit: ${attempts.map((attempt) => attempt.status).join(" ")}`;
    // No window holds more than 10 of the first 10: those are all answered; the limit then refuses one.
    expect(attempts.length, shown).toBeGreaterThan(10);
    expect(
      attempts.slice(0, -1).every((attempt) => attempt.status === 401),
      shown,
    ).toBe(true);
    expect(refused?.status, shown).toBe(429);
    expect(refused?.json?.type, shown).toBe(`${PROBLEM}rate_limited`);
    expect(refused?.headers.get("Retry-After") ?? "(not sent)", shown).toMatch(/^\d+$/);
    occurred.push("429 rate_limited", "retry-after");

    // The same Worker with its database out of reach: /health reports it itself, other routes through onError.
    const unreachable = { via: withoutDatabase.proxy.url };
    const unavailable = { status: 503, problem: "database_unavailable", headers: { "Retry-After": /^\d+$/ } };
    await expectAnswer("health without a database", unavailable, "GET", "/health", unreachable);
    await expectAnswer("a user route without a database", unavailable, "GET", "/api/users/me", {
      ...unreachable,
      headers: bearer,
    });
    await expectAnswer("a checkout without a database", unavailable, "POST", "/api/orders", {
      ...unreachable,
      json: checkout,
      headers: { ...bearer, "idempotency-key": randomUUID() },
    });

    // Every intended answer occurred (a request that produced something else has failed above)...
    for (const intended of [
      "304",
      "400 malformed_request",
      "401 unauthorized",
      "401 invalid_cart_token",
      "403 insufficient_scope",
      "404 not_found",
      "405 method_not_allowed",
      "409 open_order_exists",
      "413 payload_too_large",
      "415 unsupported_media_type",
      "422 validation_error",
      "429 rate_limited",
      "503 database_unavailable",
      "www-authenticate",
      "retry-after",
      "idempotent-replayed",
      "etag",
      "allow",
    ]) {
      expect(occurred).toContain(intended);
    }
    // ...through the proxy, and each is what the document says of it.
    const exchanges = [...proxy.exchanges, ...withoutDatabase.proxy.exchanges];
    expect(exchanges.length).toBeGreaterThanOrEqual(occurred.filter((item) => /^\d/.test(item)).length + 10);
    const document = (await (await harness.fetch("/openapi.json")).json()) as OpenApiDocument;
    expect(checkExchanges(document, exchanges)).toEqual([]);
  }, 60_000);
});
