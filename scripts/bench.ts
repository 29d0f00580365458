/**
 * `npm run bench`: checkout throughput and latency on the local stack, and
 * whether anything was oversold. A script that prints figures, never a test:
 * these machines are shared, so compare medians and ratios from one run.
 *
 * Starts the libSQL server (its own process) and the Worker as wrangler
 * builds it (workerd, real Durable Objects), arranges shoppers and carts
 * directly in the database, then for each concurrency level fires every
 * checkout at once:
 * - hot: every shopper buys the same product, which has stock for a tenth;
 * - spread: each shopper buys a different, well-stocked product;
 * - reserve: the bare ProductStock.reserve RPC on one product.
 *
 * Usage: npm run bench [-- --levels 50,200,1000]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { sign } from "hono/jwt";
import { createTestHarness } from "wrangler";
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from "../src/modules/accounts/tokens.ts";
import { newId } from "../src/platform/ids.ts";
import { cartItems, carts, orders, products, sessions, users } from "../src/schema.ts";
import { migrateDatabase } from "./db/migrate-database.ts";

const JWT_SECRET = "bench-only-jwt-secret-0123456789abcdef";
const TOTP_KEY = Buffer.alloc(32, 7).toString("base64");

const { values } = parseArgs({ options: { levels: { type: "string", default: "50,200,1000" } } });
const levels = values.levels.split(",").map(Number);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

async function startDatabase(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn("npx", ["tsx", "scripts/db-server.ts", "--db", ":memory:", "--port", String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  for await (const chunk of child.stdout ?? []) {
    if (String(chunk).includes("listening")) break;
  }
  return { url: `http://127.0.0.1:${port}`, process: child };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const log = (message: string) => console.error(`[bench] ${message}`);
const database = await startDatabase();
log(`database on ${database.url}`);
await migrateDatabase(database.url);
const client = createClient({ url: database.url });
const db = drizzle(client);

const harness = createTestHarness({
  workers: [
    {
      configPath: "./wrangler.toml",
      vars: {
        ENVIRONMENT: "test",
        DATABASE_URL: database.url,
        CORS_ORIGINS: "https://shop.test",
        ARGON2_MEMORY_KIB: "1024",
        ARGON2_ITERATIONS: "1",
      },
      secrets: { JWT_SECRET, TOTP_ENCRYPTION_KEY: TOTP_KEY },
    },
  ],
});
await harness.listen();
log("worker started");
const env = (await harness.getWorker().getEnv()) as {
  PRODUCT_STOCK: {
    getByName(name: string): {
      reserve(orderId: string, quantity: number, ttl: number): Promise<{ ok: boolean }>;
      level(): Promise<{ onHand: number; reserved: number; available: number }>;
    };
  };
};

async function makeProducts(count: number, stock: number): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, () => newId("prd"));
  for (let start = 0; start < ids.length; start += 25) {
    await db.insert(products).values(
      ids.slice(start, start + 25).map((id) => ({
        id,
        sku: id,
        name: `Bench ${id}`,
        priceAmount: 1000,
        currency: "usd",
        initialStock: stock,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
  return ids;
}

/** Shoppers with a session and a signed access token, and one cart line each. */
async function makeShoppers(productFor: (index: number) => string, count: number) {
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const made = Array.from({ length: count }, (_, index) => ({
    userId: newId("usr"),
    sessionId: newId("ses"),
    cartId: newId("crt"),
    productId: productFor(index),
  }));
  for (let start = 0; start < made.length; start += 25) {
    const chunk = made.slice(start, start + 25);
    await db.batch([
      db.insert(users).values(
        chunk.map(({ userId }) => ({
          id: userId,
          email: `${userId}@bench.test`,
          username: userId.replace("usr_", "b"),
          usernameKey: userId.replace("usr_", "b"),
          passwordHash: "!",
          createdAt: now,
          updatedAt: now,
          emailVerifiedAt: now,
        })),
      ),
      db.insert(sessions).values(
        chunk.map(({ userId, sessionId }) => ({
          id: sessionId,
          userId,
          createdAt: now,
          lastUsedAt: now,
          expiresAt: later,
        })),
      ),
      db
        .insert(carts)
        .values(chunk.map(({ userId, cartId }) => ({ id: cartId, userId, createdAt: now, updatedAt: now }))),
      db.insert(cartItems).values(
        chunk.map(({ cartId, productId }) => ({
          id: newId("cit"),
          cartId,
          productId,
          quantity: 1,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    ]);
  }
  const iat = Math.floor(Date.now() / 1000);
  return Promise.all(
    made.map(async ({ userId, sessionId }) => ({
      userId,
      token: await sign(
        {
          sub: userId,
          sid: sessionId,
          role: "user",
          iat,
          exp: iat + 3600,
          jti: newId("jti"),
          iss: TOKEN_ISSUER,
          aud: TOKEN_AUDIENCE,
          typ: "access",
          amr: ["pwd"],
        },
        JWT_SECRET,
        "HS256",
      ),
    })),
  );
}

async function fireCheckouts(shoppers: { token: string }[]) {
  const started = performance.now();
  const results = await Promise.all(
    shoppers.map(async ({ token }, index) => {
      const begin = performance.now();
      const response = await harness.fetch("http://shop.test/api/orders", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          Authorization: `Bearer ${token}`,
          "Idempotency-Key": crypto.randomUUID(),
          "CF-Connecting-IP": `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
        },
        body: JSON.stringify({
          shipping_address: {
            name: "Bench",
            line1: "1 Loop Rd",
            city: "Testville",
            postal_code: "00000",
            country: "US",
          },
        }),
      });
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - begin };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
  const counts = new Map<number, number>();
  for (const { status } of results) counts.set(status, (counts.get(status) ?? 0) + 1);
  return { seconds, latencies, counts };
}

interface Row {
  scenario: string;
  n: number;
  perSecond: number;
  p50: number;
  p99: number;
  answers: string;
  oversold: number;
}

const rows: Row[] = [];
const format = (counts: Map<number, number>) =>
  [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count}×${status}`)
    .join(" ");

for (const n of levels) {
  // Hot product: stock for a tenth of the buyers.
  const stock = Math.max(1, Math.floor(n / 10));
  const [hot] = await makeProducts(1, stock);
  if (!hot) throw new Error("no product");
  const hotShoppers = await makeShoppers(() => hot, n);
  log(`N=${n}: ${n} shoppers ready`);
  await env.PRODUCT_STOCK.getByName(hot).level();
  const hotRun = await fireCheckouts(hotShoppers);
  log(`N=${n}: hot product done`);
  const level = await env.PRODUCT_STOCK.getByName(hot).level();
  const { rows: paidRows } = await client.execute({
    sql: "SELECT count(*) AS n FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ? AND o.status = 'awaiting_payment'",
    args: [hot],
  });
  const awaiting = Number(paidRows[0]?.n ?? 0);
  rows.push({
    scenario: "checkout, one hot product",
    n,
    perSecond: n / hotRun.seconds,
    p50: percentile(hotRun.latencies, 50),
    p99: percentile(hotRun.latencies, 99),
    answers: format(hotRun.counts),
    oversold: Math.max(0, awaiting - stock) + Math.max(0, level.reserved - level.onHand),
  });

  // Spread: every buyer a different product, all in stock.
  const spreadProducts = await makeProducts(n, 5);
  const spreadShoppers = await makeShoppers((index) => spreadProducts[index] ?? "", n);
  const spreadRun = await fireCheckouts(spreadShoppers);
  log(`N=${n}: spread done`);
  rows.push({
    scenario: "checkout, spread over products",
    n,
    perSecond: n / spreadRun.seconds,
    p50: percentile(spreadRun.latencies, 50),
    p99: percentile(spreadRun.latencies, 99),
    answers: format(spreadRun.counts),
    oversold: 0,
  });

  // The bare reservation RPC on one product (stock for a tenth again).
  const [rpcProduct] = await makeProducts(1, stock);
  if (!rpcProduct) throw new Error("no product");
  const stub = env.PRODUCT_STOCK.getByName(rpcProduct);
  await stub.level();
  const rpcStarted = performance.now();
  const rpc = await Promise.all(
    Array.from({ length: n }, async (_, index) => {
      const begin = performance.now();
      const outcome = await stub.reserve(`ord_bench_${index}`, 1, 900);
      return { ok: outcome.ok, ms: performance.now() - begin };
    }),
  );
  const rpcSeconds = (performance.now() - rpcStarted) / 1000;
  const rpcLevel = await stub.level();
  const granted = rpc.filter((result) => result.ok).length;
  const rpcLatencies = rpc.map((result) => result.ms).sort((a, b) => a - b);
  rows.push({
    scenario: "reserve RPC, one product",
    n,
    perSecond: n / rpcSeconds,
    p50: percentile(rpcLatencies, 50),
    p99: percentile(rpcLatencies, 99),
    answers: `${granted} granted, ${n - granted} refused`,
    oversold: Math.max(0, granted - stock) + Math.max(0, rpcLevel.reserved - rpcLevel.onHand),
  });
}

console.log(
  `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
);
console.log("| scenario | N concurrent | per second | p50 ms | p99 ms | answers | oversold |");
console.log("|---|---:|---:|---:|---:|---|---:|");
for (const row of rows) {
  console.log(
    `| ${row.scenario} | ${row.n} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.answers} | ${row.oversold} |`,
  );
}

const totalOrders = await db.select({ id: orders.id }).from(orders);
console.log(`\n${totalOrders.length} orders written in all.`);
await harness.close();
client.close();
database.process.kill("SIGTERM");
process.exit(rows.some((row) => row.oversold > 0) ? 1 : 0);
