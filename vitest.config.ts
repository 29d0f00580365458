import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { type Unstable_Config, unstable_readConfig } from "wrangler";
import { copyDocsBundle } from "./scripts/docs/copy-docs-assets.ts";
import { textModules } from "./scripts/text-modules-plugin.ts";
import { TEST_BINDINGS } from "./test/fixtures/environments.ts";

// The docs bundle the Worker's static assets serve (git-ignored, copied from node_modules): present and current for
// every run, also on a clean clone (npm installs with scripts off here). Only the copy: the committed module with its
// hash is checked by test/unit/docs/scalar-bundle.happy.test.ts, never rewritten by a test run.
copyDocsBundle();

/**
 * wrangler.toml's queue consumers as they are (retries, retry delay, dead-letter queue), except that a batch is
 * delivered as soon as it has a message instead of after `max_batch_timeout`: tests wait on deliveries, not on
 * batching.
 */
const wranglerConsumers: NonNullable<Unstable_Config["queues"]["consumers"]> =
  unstable_readConfig({ config: "./wrangler.toml" }).queues.consumers ?? [];
const queueConsumers = Object.fromEntries(
  wranglerConsumers.map((consumer) => [
    consumer.queue,
    {
      maxBatchSize: consumer.max_batch_size,
      maxBatchTimeout: 0,
      maxRetries: consumer.max_retries,
      retryDelay: consumer.retry_delay,
      deadLetterQueue: consumer.dead_letter_queue,
    },
  ]),
);

/** A project whose tests run inside workerd, with the Worker's bindings and a fresh, migrated libSQL database. */
function inWorkerd(name: string, include: string) {
  return {
    plugins: [
      // For the global setup, which runs in Node: migrating the legacy shop rekeys its usernames with the
      // identity rules, whose .txt data must import as text there as wrangler's Text rule makes it in workerd.
      textModules(),
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { ...TEST_BINDINGS, DATABASE_URL: inject("databaseUrl") }, queueConsumers },
      })),
    ],
    test: { name, include: [include], globalSetup: ["./test/global-setup.ts"] },
  };
}

/** Pure rules in Node, no database, no workerd; also all that `npm run test:mutation` runs (vitest.mutation.config.ts). */
export const unitProject = {
  plugins: [textModules()],
  test: {
    name: "unit",
    include: ["test/unit/**/*.test.ts"],
    exclude: ["test/unit/**/*.workers.test.ts"],
    environment: "node",
    // Pure functions and fakes made per test: sharing the module cache across files is safe, and
    // skips re-importing the same module graph for every file (most of this project's time).
    isolate: false,
  },
} satisfies TestProjectInlineConfiguration;

export default defineConfig({
  test: {
    // Access logs are part of what tests check; print them only when a test fails.
    silent: "passed-only",
    projects: [
      inWorkerd("workers", "test/workers/**/*.test.ts"),
      // The unit tier (`npm run test:unit`): pure rules in Node, no database, no workerd...
      unitProject,
      // ...and the one thing that needs workerd, the Durable Object (which mirrors to the database).
      inWorkerd("unit-workers", "test/unit/**/*.workers.test.ts"),
      {
        // db:migrate's username rekeying (scripts/db/migrate-database.ts) reads the identity rules' .txt data.
        plugins: [textModules()],
        test: {
          name: "node",
          // The local libSQL server is its own workspace package; its tests run here too.
          include: ["test/node/**/*.test.ts", "tools/libsql-server/test/**/*.test.ts"],
          environment: "node",
        },
      },
    ],
  },
});
