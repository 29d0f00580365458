import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_BINDINGS } from "./test/fixtures/environments.ts";

/** A project whose tests run inside workerd, with the Worker's bindings and a fresh, migrated libSQL database. */
function inWorkerd(name: string, include: string) {
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { ...TEST_BINDINGS, DATABASE_URL: inject("databaseUrl") } },
      })),
    ],
    test: { name, include: [include], globalSetup: ["./test/global-setup.ts"] },
  };
}

export default defineConfig({
  test: {
    // Access logs are part of what tests check; print them only when a test fails.
    silent: "passed-only",
    projects: [
      inWorkerd("workers", "test/workers/**/*.test.ts"),
      // The unit tier (`npm run test:unit`): pure rules in Node, no database, no workerd...
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          exclude: ["test/unit/**/*.workers.test.ts"],
          environment: "node",
          // Pure functions and fakes made per test: sharing the module cache across files is safe, and
          // skips re-importing the same module graph for every file (most of this project's time).
          isolate: false,
        },
      },
      // ...and the one thing that needs workerd, the Durable Object (which mirrors to the database).
      inWorkerd("unit-workers", "test/unit/**/*.workers.test.ts"),
      {
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
