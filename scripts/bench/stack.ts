/**
 * The local stack the bench runs against: the libSQL server (its own process),
 * the latency proxy in front of it, and the Worker as wrangler builds it
 * (workerd, real Durable Objects, queues), whose DATABASE_URL is the proxy.
 * The bench itself talks to the database directly, so its own arranging and
 * checking is never counted or delayed.
 */
import { spawn } from "node:child_process";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { createTestHarness } from "wrangler";
import { migrateDatabase } from "../db/migrate-database.ts";
import { seedDemoCatalog } from "../seed/seed-demo-catalog.ts";
import { onCleanup } from "./cleanup.ts";
import { startLatencyProxy } from "./latency-proxy.ts";

export const JWT_SECRET = "bench-only-jwt-secret-0123456789abcdef";
const TOTP_KEY = Buffer.alloc(32, 7).toString("base64");
/** Cheap password hashing, so that sign-in measures the round trips rather than argon2. */
export const BENCH_ARGON2 = { memoryKib: 1024, iterations: 1, parallelism: 1 } as const;

export const log = (message: string) => console.error(`[bench] ${message}`);

export interface ProductStockStub {
  reserve(orderId: string, quantity: number, ttl: number): Promise<{ ok: boolean }>;
  level(): Promise<{ onHand: number; reserved: number; available: number }>;
}

async function startDatabase(): Promise<URL> {
  // Node itself (not npx) so that the process we stop is the server, not a wrapper around it.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/database-process.ts"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  onCleanup("database", async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin?.end();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  for await (const chunk of child.stdout ?? []) {
    const url = /listening (\S+)/.exec(String(chunk))?.[1];
    if (url) return new URL(url);
  }
  throw new Error(`the database process ended before listening (exit code ${child.exitCode})`);
}

export async function startStack() {
  const databaseUrl = await startDatabase();
  log(`database on ${databaseUrl.origin}`);
  await migrateDatabase(databaseUrl.origin);
  await seedDemoCatalog(databaseUrl.origin);
  const client = createClient({ url: databaseUrl.origin });
  onCleanup("database client", () => client.close());

  const proxy = await startLatencyProxy(databaseUrl);
  onCleanup("latency proxy", () => proxy.close());
  log(`latency proxy on ${proxy.url}`);

  const harness = createTestHarness({
    workers: [
      {
        configPath: "./wrangler.toml",
        vars: {
          // Development, for the mock payment provider's controls (/api/dev/payments); nothing else differs from test.
          ENVIRONMENT: "development",
          DATABASE_URL: proxy.url,
          CORS_ORIGINS: "https://shop.test",
          ARGON2_MEMORY_KIB: String(BENCH_ARGON2.memoryKib),
          ARGON2_ITERATIONS: String(BENCH_ARGON2.iterations),
        },
        secrets: { JWT_SECRET, TOTP_ENCRYPTION_KEY: TOTP_KEY },
      },
    ],
  });
  onCleanup("wrangler harness", () => harness.close());
  await harness.listen();
  log("worker started");
  const env = (await harness.getWorker().getEnv()) as {
    PRODUCT_STOCK: { getByName(name: string): ProductStockStub };
  };
  return { client, db: drizzle(client), proxy, harness, env };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
