import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { seedDemoCatalog } from "../../scripts/seed/seed-demo-catalog.ts";
import { TEST_BINDINGS } from "../fixtures/environments.ts";
import { createConformanceChecker, type Mismatch, type OpenApiDocument } from "./support/openapi-conformance.ts";
import { runWalkthrough, walkthroughBlocks } from "./support/readme-walkthrough.ts";
import { type RecordingProxy, startRecordingProxy } from "./support/recording-proxy.ts";
import { useMigratedServer } from "./support/scripts.ts";

describe("the README's shell walkthrough", () => {
  const database = useMigratedServer();
  let harness: TestHarness;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    // What `npm run dev` starts from: a fresh migrated database with the demo catalog.
    await seedDemoCatalog(database.url);
    harness = createTestHarness({
      workers: [
        {
          configPath: "./wrangler.toml",
          // Development, as `npm run dev` runs it: the mock payment provider's controls and the outbox exist only there.
          vars: { ...TEST_BINDINGS, ENVIRONMENT: "development", DATABASE_URL: database.url },
          secrets: { JWT_SECRET: TEST_BINDINGS.JWT_SECRET },
        },
      ],
    });
    const { url } = await harness.listen();
    proxy = await startRecordingProxy(url, (target, init) => harness.fetch(target, init));
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await harness?.close();
  });

  it("runs in order against a fresh stack, and every response is the one /openapi.json documents", async () => {
    const blocks = walkthroughBlocks(readFileSync("README.md", "utf8"));
    expect(blocks.length).toBeGreaterThan(5);
    // The README's base URL, and create-admin's and db:seed's database, pointed at this stack.
    const run = await runWalkthrough(blocks, { API: proxy.url, DATABASE_URL: database.url }, 150_000);
    if (!run.ok) {
      // A response captured into a variable never reaches the output: the proxy saw it.
      const last = proxy.exchanges
        .slice(-3)
        .map(
          (exchange) => `${exchange.method} ${exchange.target} → ${exchange.status}\n${exchange.body.slice(0, 1000)}`,
        );
      expect.fail(`${run.failure}\n--- the last responses ---\n${last.join("\n")}`);
    }

    // Shown with a failing conformance check below: what each step answered.
    console.log(run.output);
    const document = (await (await harness.fetch("/openapi.json")).json()) as OpenApiDocument;
    const check = createConformanceChecker(document);
    const seen = new Set<string>();
    const mismatches: Mismatch[] = [];
    for (const exchange of proxy.exchanges) {
      for (const mismatch of check(exchange)) {
        const key = `${mismatch.kind} ${mismatch.exchange} ${mismatch.detail}`;
        if (!seen.has(key)) {
          seen.add(key);
          mismatches.push(mismatch);
        }
      }
    }
    console.log(`${proxy.exchanges.length} HTTP exchanges; ${mismatches.length} distinct mismatches`);
    expect(proxy.exchanges.length).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  }, 180_000);
});
