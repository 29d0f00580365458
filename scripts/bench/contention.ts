/**
 * Checkout under contention, every request of a burst in flight at once:
 * - hot: every shopper buys the same product, which has stock for a tenth;
 * - spread: each shopper buys a different, well-stocked product;
 * - reserve: the bare ProductStock.reserve RPC on one product, the ceiling
 *   the two checkouts are compared with.
 */
import { makeProducts, makeShoppers } from "./arrange.ts";
import { log, type Stack } from "./stack.ts";
import { percentile } from "./stats.ts";

export interface ScenarioRow {
  scenario: "checkout, one hot product" | "checkout, spread over products" | "reserve RPC, one product";
  n: number;
  perSecond: number;
  p50: number;
  p99: number;
  answers: string;
  oversold: number;
}

const SHIPPING_ADDRESS = { name: "Bench", line1: "1 Loop Rd", city: "Testville", postal_code: "00000", country: "US" };

/** A distinct client address per shopper (10.0.0.0/8), so per-client limits never refuse a checkout. */
function shopperIp(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

function describeStatuses(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count}×${status}`)
    .join(" ");
}

/** Runs every call at once; the rate is calls over the wall time of the whole burst. */
async function burst<T>(count: number, call: (index: number) => Promise<T>) {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const begin = performance.now();
      const outcome = await call(index);
      return { outcome, ms: performance.now() - begin };
    }),
  );
  const latencies = results.map((result) => result.ms);
  return {
    outcomes: results.map((result) => result.outcome),
    perSecond: count / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function fireCheckouts(stack: Stack, tokens: string[]) {
  return burst(tokens.length, async (index) => {
    const response = await stack.harness.fetch("http://shop.test/api/orders", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        Authorization: `Bearer ${tokens[index]}`,
        "Idempotency-Key": crypto.randomUUID(),
        "CF-Connecting-IP": shopperIp(index),
      },
      body: JSON.stringify({ shipping_address: SHIPPING_ADDRESS, shipping_method_id: "shm_standard" }),
    });
    await response.arrayBuffer();
    return response.status;
  });
}

async function hotProduct(stack: Stack, n: number): Promise<ScenarioRow> {
  const stock = Math.max(1, Math.floor(n / 10));
  const [hot] = await makeProducts(stack.db, 1, stock);
  if (!hot) throw new Error("no product");
  const shoppers = await makeShoppers(stack.db, () => hot, n);
  const stub = stack.env.PRODUCT_STOCK.getByName(hot);
  await stub.level();
  const run = await fireCheckouts(
    stack,
    shoppers.map((shopper) => shopper.token),
  );
  const level = await stub.level();
  const { rows } = await stack.client.execute({
    sql: "SELECT count(*) AS n FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ? AND o.status = 'awaiting_payment'",
    args: [hot],
  });
  const awaiting = Number(rows[0]?.n ?? 0);
  return {
    scenario: "checkout, one hot product",
    n,
    perSecond: run.perSecond,
    p50: run.p50,
    p99: run.p99,
    answers: describeStatuses(run.outcomes),
    oversold: Math.max(0, awaiting - stock) + Math.max(0, level.reserved - level.onHand),
  };
}

async function spreadOverProducts(stack: Stack, n: number): Promise<ScenarioRow> {
  const productIds = await makeProducts(stack.db, n, 5);
  const shoppers = await makeShoppers(stack.db, (index) => productIds[index] ?? "", n);
  const run = await fireCheckouts(
    stack,
    shoppers.map((shopper) => shopper.token),
  );
  return {
    scenario: "checkout, spread over products",
    n,
    perSecond: run.perSecond,
    p50: run.p50,
    p99: run.p99,
    answers: describeStatuses(run.outcomes),
    oversold: 0,
  };
}

async function bareReserve(stack: Stack, n: number): Promise<ScenarioRow> {
  const stock = Math.max(1, Math.floor(n / 10));
  const [productId] = await makeProducts(stack.db, 1, stock);
  if (!productId) throw new Error("no product");
  const stub = stack.env.PRODUCT_STOCK.getByName(productId);
  await stub.level();
  const run = await burst(n, async (index) => (await stub.reserve(`ord_bench_${index}`, 1, 900)).ok);
  const level = await stub.level();
  const granted = run.outcomes.filter(Boolean).length;
  return {
    scenario: "reserve RPC, one product",
    n,
    perSecond: run.perSecond,
    p50: run.p50,
    p99: run.p99,
    answers: `${granted} granted, ${n - granted} refused`,
    oversold: Math.max(0, granted - stock) + Math.max(0, level.reserved - level.onHand),
  };
}

export async function runContention(stack: Stack, levels: number[]): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = [];
  for (const n of levels) {
    rows.push(await hotProduct(stack, n));
    log(`N=${n}: hot product done`);
    rows.push(await spreadOverProducts(stack, n));
    log(`N=${n}: spread done`);
    rows.push(await bareReserve(stack, n));
    log(`N=${n}: reserve RPC done`);
  }
  return rows;
}
