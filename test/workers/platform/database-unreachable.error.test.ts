import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { newId } from "../../../src/platform/ids";
import { randomIp, signedInAdmin } from "../support/accounts";
import { signedLink } from "../support/order-links";
import { signatureFor, stripeEvent } from "../support/payments";
import { ADDRESS } from "../support/shopping";
import { callWorkerWith, readProblem } from "../support/worker";

/** Routes that answer without the database, whatever state it is in. */
const NO_DATABASE = new Set(["GET /openapi.json", "GET /docs"]);
/** `/health` reports the database's state itself (health.error.test.ts); it must keep doing so. */
const REPORTS_THE_DATABASE = "GET /health";

interface Call {
  body?: unknown;
  query?: string;
  /** Configuration the route exists under (the development payment tools). */
  env?: Record<string, string>;
}

const id = {
  user: newId("usr"),
  session: newId("ses"),
  product: newId("prd"),
  variant: newId("var"),
  category: newId("cat"),
  order: newId("ord"),
  cartItem: newId("cit"),
  discount: newId("dsc"),
  zone: newId("shz"),
  method: newId("shm"),
  taxRate: newId("txr"),
  event: "evt_unreachable",
};

const PASSWORD = "correct horse battery staple";

/**
 * A plausible request for every route that needs the database: valid parameters and bodies, so that nothing but
 * the database can stop it. The keys must be exactly the app's routes (checked below), so a new route is added here.
 */
const CALLS: Record<string, Call> = {
  "POST /api/auth/register": { body: { email: "someone@example.com", username: "someone", password: PASSWORD } },
  "POST /api/auth/login": { body: { username: "someone", password: PASSWORD } },
  "POST /api/auth/refresh": { body: { refresh_token: "a".repeat(64) } },
  "POST /api/auth/logout": { body: {} },
  "POST /api/auth/logout-all": { body: {} },
  "POST /api/auth/password-reset": { body: { email: "someone@example.com" } },
  "POST /api/auth/password-reset/confirm": { body: { token: "a".repeat(43), new_password: PASSWORD } },
  "POST /api/auth/verify-email": { body: { token: "a".repeat(43) } },
  "POST /api/auth/verify-email/resend": { body: {} },
  "POST /api/users/me/2fa/setup": { body: {} },
  "POST /api/users/me/2fa/enable": { body: { code: "123456" } },
  "POST /api/users/me/2fa/disable": { body: { password: PASSWORD, code: "123456" } },
  "POST /api/users/me/2fa/recovery-codes": { body: { password: PASSWORD, code: "123456" } },
  "GET /api/users/me": {},
  "PATCH /api/users/me": { body: { full_name: "Some One" } },
  "POST /api/users/me/password": { body: { current_password: PASSWORD, new_password: `${PASSWORD} again` } },
  "DELETE /api/users/me": { body: { password: PASSWORD } },
  "GET /api/users/me/sessions": {},
  "DELETE /api/users/me/sessions/:id": {},
  "GET /api/admin/users": {},
  "GET /api/admin/users/:id": {},
  "PATCH /api/admin/users/:id": { body: { role: "customer" } },
  "GET /api/admin/analytics/sales": {},
  "GET /api/admin/analytics/top-products": {},
  "GET /api/admin/audit-events": {},
  "PUT /api/cart/discount": { body: { code: "WELCOME10" } },
  "DELETE /api/cart/discount": {},
  "PUT /api/cart/shipping": { body: { country: "GB", shipping_method_id: id.method } },
  "GET /api/cart/shipping-options": { query: "country=GB" },
  "POST /api/carts": { body: {} },
  "GET /api/cart": {},
  "POST /api/cart/items": { body: { product_id: id.product, quantity: 1 } },
  "PATCH /api/cart/items/:id": { body: { quantity: 2 } },
  "DELETE /api/cart/items/:id": {},
  "DELETE /api/cart": {},
  "GET /api/wishlist": {},
  "PUT /api/wishlist/:product_id": {},
  "DELETE /api/wishlist/:product_id": {},
  "GET /api/admin/categories": {},
  "GET /api/admin/categories/:id": {},
  "POST /api/admin/categories": { body: { name: "Tea", slug: "tea" } },
  "PATCH /api/admin/categories/:id": { body: { name: "Tea" } },
  "DELETE /api/admin/categories/:id": {},
  "POST /api/admin/products": {
    body: { name: "Tea", price_amount: 500, initial_stock: 1 },
  },
  "GET /api/admin/products": {},
  "GET /api/admin/products/:id": {},
  "PATCH /api/admin/products/:id": { body: { name: "Tea" } },
  "DELETE /api/admin/products/:id": {},
  "POST /api/admin/products/:id/restore": { body: {} },
  "PUT /api/admin/products/:id/options": { body: { options: [] } },
  "PUT /api/admin/products/:id/images": { body: { images: [] } },
  "POST /api/admin/products/:id/variants": { body: { price_amount: 500, option_values: {} } },
  "GET /api/admin/variants/:id": {},
  "PATCH /api/admin/variants/:id": { body: { price_amount: 600 } },
  "DELETE /api/admin/variants/:id": {},
  "GET /api/categories": {},
  "GET /api/products": {},
  "GET /api/products/:id": {},
  "GET /api/admin/discount-codes": {},
  "GET /api/admin/discount-codes/:id": {},
  "POST /api/admin/discount-codes": { body: { code: "SPRING10", kind: "percent", value: 10 } },
  "PATCH /api/admin/discount-codes/:id": { body: { active: false } },
  "DELETE /api/admin/discount-codes/:id": {},
  "GET /api/admin/variants/:id/inventory": {},
  "POST /api/admin/variants/:id/inventory": { body: { delta: 1, reason: "restock" } },
  "GET /api/admin/orders": {},
  "GET /api/admin/orders/:id": {},
  "POST /api/admin/orders/:id/transition": { body: { to: "shipped" } },
  "GET /api/order-links": {},
  "POST /api/orders": { body: { shipping_address: ADDRESS, shipping_method_id: id.method } },
  "GET /api/orders": {},
  "GET /api/orders/:id": {},
  "POST /api/orders/:id/cancel": { body: {} },
  "GET /api/orders/:id/payment": {},
  "POST /api/admin/orders/:id/refund": { body: { amount: 100 } },
  "GET /api/admin/payments/events": {},
  "POST /api/admin/payments/events/:id/replay": { body: {} },
  "POST /api/dev/payments/:order_id/:outcome": { body: {}, env: { ENVIRONMENT: "development" } },
  "POST /api/webhooks/stripe": {},
  "GET /api/admin/shipping-zones": {},
  "GET /api/admin/shipping-zones/:id": {},
  "POST /api/admin/shipping-zones": { body: { name: "UK", countries: ["GB"] } },
  "PATCH /api/admin/shipping-zones/:id": { body: { name: "UK" } },
  "DELETE /api/admin/shipping-zones/:id": {},
  "POST /api/admin/shipping-zones/:id/methods": { body: { name: "Standard", price_amount: 300 } },
  "PATCH /api/admin/shipping-methods/:id": { body: { name: "Standard" } },
  "DELETE /api/admin/shipping-methods/:id": {},
  "GET /api/admin/tax-rates": {},
  "POST /api/admin/tax-rates": { body: { country: "GB", rate_bps: 2000 } },
  "PATCH /api/admin/tax-rates/:id": { body: { rate_bps: 2000 } },
  "DELETE /api/admin/tax-rates/:id": {},
  "GET /api/admin/dev/outbox": {},
};

/** The id each path parameter takes (the route's own kind of id). */
function pathFor(route: string): string {
  const path = route.slice(route.indexOf(" ") + 1);
  const idFor = (param: string): string => {
    if (param === "outcome") return "succeed";
    if (param === "order_id") return id.order;
    if (param === "product_id") return id.product;
    const prefixes: [RegExp, string][] = [
      [/^\/api\/(admin\/)?users/, id.session],
      [/^\/api\/admin\/users/, id.user],
      [/variants/, id.variant],
      [/products/, id.product],
      [/categories/, id.category],
      [/orders/, id.order],
      [/cart\/items/, id.cartItem],
      [/discount-codes/, id.discount],
      [/shipping-zones/, id.zone],
      [/shipping-methods/, id.method],
      [/tax-rates/, id.taxRate],
      [/payments\/events/, id.event],
    ];
    const adminUser = /^\/api\/admin\/users/.test(path) ? id.user : undefined;
    return adminUser ?? prefixes.find(([pattern]) => pattern.test(path))?.[1] ?? param;
  };
  return path.replace(/:(\w+)/g, (_, param: string) => idFor(param));
}

function servedRoutes(): string[] {
  const app = createApp();
  return [...new Set(app.routes.filter((route) => route.method !== "ALL").map((r) => `${r.method} ${r.path}`))];
}

let adminToken = "";

beforeAll(async () => {
  adminToken = (await signedInAdmin()).tokens.access_token;
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Requests whose credentials are not a bearer token: a Stripe-signed event, and a signed order link. */
async function specialCall(route: string): Promise<{ headers: Record<string, string>; body?: string; query?: string }> {
  if (route === "POST /api/webhooks/stripe") {
    const body = JSON.stringify(
      stripeEvent("payment_intent.succeeded", { id: "pi_unreachable", object: "payment_intent" }),
    );
    return { headers: { "Stripe-Signature": await signatureFor(body) }, body };
  }
  if (route === "GET /api/order-links") {
    const token = await signedLink(id.order, new Date(Date.now() + 3_600_000));
    return { headers: {}, query: `token=${encodeURIComponent(token)}` };
  }
  return { headers: { Authorization: `Bearer ${adminToken}` } };
}

async function callUnreachable(route: string, call: Call): Promise<Response> {
  const method = route.slice(0, route.indexOf(" "));
  const special = await specialCall(route);
  const query = special.query ?? call.query;
  const payload = special.body ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const headers: Record<string, string> = {
    "CF-Connecting-IP": randomIp(),
    "Idempotency-Key": crypto.randomUUID(),
    ...special.headers,
  };
  if (payload !== undefined) headers["content-type"] = "application/json";
  return callWorkerWith(
    { DATABASE_URL: inject("unreachableDatabaseUrl"), ...call.env },
    `${pathFor(route)}${query ? `?${query}` : ""}`,
    { method, headers, body: payload },
  );
}

describe("every route when the database cannot be reached", () => {
  it("the list below is exactly the app's routes", () => {
    const listed = [...Object.keys(CALLS), ...NO_DATABASE, REPORTS_THE_DATABASE].sort();
    expect(listed).toEqual(servedRoutes().sort());
  });

  it.each(Object.entries(CALLS))("%s answers 503 database_unavailable with Retry-After", async (route, call) => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await callUnreachable(route, call);
    const text = await response.clone().text();
    expect(response.status, text).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    const problem = await readProblem(response);
    expect(problem).toMatchObject({ type: "urn:edge-commerce:problem:database_unavailable", status: 503 });
    expect(text).not.toMatch(/127\.0\.0\.1|fetch failed|refused|sql|select|insert/i);
  });

  it("/health keeps its own answer: 503 database_unavailable, Retry-After 5", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await callUnreachable(REPORTS_THE_DATABASE, {});
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:database_unavailable");
  });

  it.each([...NO_DATABASE])("%s never needs the database: 200", async (route) => {
    const response = await callUnreachable(route, {});
    expect(response.status).toBe(200);
  });
});
