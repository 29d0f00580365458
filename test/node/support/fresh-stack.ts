import { afterAll, beforeAll } from "vitest";
import { createTestHarness, type TestHarness, unstable_startWorker } from "wrangler";
import { seedDemoCatalog } from "../../../scripts/seed/seed-demo-catalog.ts";
import { TEST_BINDINGS } from "../../fixtures/environments.ts";
import { freePort } from "./processes.ts";
import { type RecordingProxy, startRecordingProxy } from "./recording-proxy.ts";
import { useMigratedServer } from "./scripts.ts";

/** What `npm run dev` runs, started fresh for the tests of one file, with a proxy that records every exchange. */
export interface FreshStack {
  readonly database: { readonly url: string };
  readonly harness: TestHarness;
  /** Requests sent to its `url` reach the Worker and are recorded. */
  readonly proxy: RecordingProxy;
}

/**
 * A fresh migrated libSQL database with the demo catalog (what `npm run dev` starts from) and the Worker from
 * wrangler.toml in development, as `npm run dev` runs it: the mock payment provider's controls and the outbox exist
 * only there. Started in `beforeAll`, stopped in `afterAll`.
 */
export function useFreshStack(): FreshStack {
  const database = useMigratedServer();
  let harness: TestHarness | undefined;
  let proxy: RecordingProxy | undefined;

  beforeAll(async () => {
    await seedDemoCatalog(database.url);
    const started = createTestHarness({
      workers: [
        {
          configPath: "./wrangler.toml",
          vars: { ...TEST_BINDINGS, ENVIRONMENT: "development", DATABASE_URL: database.url },
          secrets: { JWT_SECRET: TEST_BINDINGS.JWT_SECRET },
        },
      ],
    });
    harness = started;
    const { url } = await started.listen();
    proxy = await startRecordingProxy(url, (target, init) => started.fetch(target, init));
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await harness?.close();
  });

  return {
    database,
    get harness() {
      if (!harness) throw new Error("the stack starts in beforeAll");
      return harness;
    },
    get proxy() {
      if (!proxy) throw new Error("the stack starts in beforeAll");
      return proxy;
    },
  };
}

/**
 * The Worker from wrangler.toml in development, as `wrangler dev` starts it, with DATABASE_URL at a port nothing
 * listens on, behind a recording proxy. Not wrangler's test harness: the harness sends a Worker's outbound `fetch`
 * through Node and answers a refused connection with an HTTP 500 of its own, where wrangler dev and Cloudflare
 * reject the `fetch`, which is what the Worker answers 503 `database_unavailable` for.
 */
export function useUnreachableDatabaseWorker(): { readonly proxy: RecordingProxy } {
  let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
  let proxy: RecordingProxy | undefined;

  beforeAll(async () => {
    const vars = {
      ...TEST_BINDINGS,
      ENVIRONMENT: "development",
      DATABASE_URL: `http://127.0.0.1:${await freePort()}`,
    };
    worker = await unstable_startWorker({
      config: "./wrangler.toml",
      bindings: Object.fromEntries(
        Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]),
      ),
      dev: {
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        logLevel: "none",
        watch: false,
        persist: false,
      },
    });
    await worker.ready;
    const url = await worker.url;
    proxy = await startRecordingProxy(url, (target, init) => fetch(target, init));
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await worker?.dispose();
  });

  return {
    get proxy() {
      if (!proxy) throw new Error("the Worker starts in beforeAll");
      return proxy;
    },
  };
}
