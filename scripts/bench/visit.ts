/**
 * One shopper's visit, step by step, through the real HTTP API: browse,
 * search, look at a product, sign in, add it to the cart, check out, and pay
 * with the mock provider. Steps run one after another, each alone on the
 * wire, so the round trips the proxy counts between a request's start and
 * its response's end are that request's own. What the Worker still sends
 * after answering (waitUntil, queue consumers) is counted separately, until
 * the proxy has been quiet for a while.
 */
import { eq } from "drizzle-orm";
import { orders } from "../../src/schema.ts";
import { BENCH_PASSWORD } from "./arrange.ts";
import type { Stack } from "./stack.ts";

export const VISIT_STEPS = [
  "GET /api/products",
  "GET /api/products?q=tea",
  "GET /api/products/{id}",
  "POST /api/auth/login",
  "GET /api/users/me",
  "POST /api/cart/items",
  "GET /api/cart",
  "POST /api/orders (checkout)",
  "GET /api/orders/{id}",
  "mock payment → order paid",
] as const;
export type VisitStep = (typeof VISIT_STEPS)[number];

export interface StepSample {
  step: VisitStep;
  ms: number;
  /** Requests to the database between the request's start and its response's end. */
  roundTrips: number;
  /** Requests to the database after the response, until the proxy fell quiet. */
  afterResponse: number;
}

const SHIPPING_ADDRESS = {
  name: "Bench Shopper",
  line1: "1 Loop Road",
  city: "Testville",
  postal_code: "00000",
  country: "US",
};
const PAYMENT_DEADLINE_MS = 30_000;

interface Visitor {
  email: string;
  ip: string;
}

/** Long enough to outlast the gap between two database requests of one chain of background work. */
function quietWindowMs(roundTripMs: number): number {
  return roundTripMs / 2 + 75;
}

export async function visit(stack: Stack, visitor: Visitor, roundTripMs: number): Promise<StepSample[]> {
  const { harness, proxy } = stack;
  const quietMs = quietWindowMs(roundTripMs);
  const samples: StepSample[] = [];
  let token = "";

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await harness.fetch(`http://shop.test${path}`, {
      method,
      headers: {
        "CF-Connecting-IP": visitor.ip,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  async function step<T>(name: VisitStep, action: () => Promise<T>): Promise<T> {
    await proxy.whenQuiet(quietMs);
    const before = proxy.requests;
    const started = performance.now();
    const result = await action();
    const ms = performance.now() - started;
    const roundTrips = proxy.requests - before;
    await proxy.whenQuiet(quietMs);
    samples.push({ step: name, ms, roundTrips, afterResponse: proxy.requests - before - roundTrips });
    return result;
  }

  await step("GET /api/products", () => call("GET", "/api/products"));
  const found = await step("GET /api/products?q=tea", () => call("GET", "/api/products?q=tea"));
  const productId = productNamed(found, BOUGHT_PRODUCT);
  const product = await step("GET /api/products/{id}", () => call("GET", `/api/products/${productId}`));
  const variantId = mostInStock(product);
  const tokens = await step("POST /api/auth/login", () =>
    call("POST", "/api/auth/login", { username: visitor.email, password: BENCH_PASSWORD }),
  );
  token = String(tokens.access_token);
  await step("GET /api/users/me", () => call("GET", "/api/users/me"));
  await step("POST /api/cart/items", () => call("POST", "/api/cart/items", { variant_id: variantId, quantity: 1 }));
  await step("GET /api/cart", () => call("GET", "/api/cart"));
  const order = await step("POST /api/orders (checkout)", () =>
    call(
      "POST",
      "/api/orders",
      { shipping_address: SHIPPING_ADDRESS, shipping_method_id: "shm_standard" },
      { "Idempotency-Key": crypto.randomUUID() },
    ),
  );
  const orderId = String(order.id);
  await step("GET /api/orders/{id}", () => call("GET", `/api/orders/${orderId}`));
  await step("mock payment → order paid", async () => {
    await call("POST", `/api/dev/payments/${orderId}/succeed`);
    await untilPaid(stack, orderId);
  });
  return samples;
}

/**
 * The demo catalog's tea with the deepest stock (120 units): every visit buys one, and the lists no longer show
 * stock counts to choose by, so the visit names what it buys.
 */
const BOUGHT_PRODUCT = "Earl Grey";

function productNamed(page: Record<string, unknown>, name: string): string {
  const items = (page.data ?? []) as { id: string; name: string; in_stock: boolean }[];
  const found = items.find((item) => item.name.startsWith(name) && item.in_stock);
  if (!found) throw new Error(`the search found no ${name} in stock to buy`);
  return found.id;
}

/** The product's variant with the most stock, so that repeated visits do not sell it out. */
function mostInStock(product: Record<string, unknown>): string {
  const variants = (product.variants ?? []) as { id: string; stock_available: number }[];
  const best = variants.reduce<{ id: string; stock_available: number } | undefined>(
    (kept, variant) => (kept === undefined || variant.stock_available > kept.stock_available ? variant : kept),
    undefined,
  );
  if (!best || best.stock_available < 1) throw new Error("the product has no variant in stock to buy");
  return best.id;
}

/** Watches the order in the database directly (not through the proxy, so the watching is not counted). */
async function untilPaid(stack: Stack, orderId: string): Promise<void> {
  const deadline = performance.now() + PAYMENT_DEADLINE_MS;
  while (performance.now() < deadline) {
    const [row] = await stack.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    if (row?.status === "paid") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`order ${orderId} was not paid within ${PAYMENT_DEADLINE_MS} ms`);
}
