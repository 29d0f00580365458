/**
 * What Stryker runs (`npm run test:mutation`, stryker.config.mjs): the unit project alone. The workerd
 * pool cannot host Stryker's instrumentation, so the workerd projects are left out.
 */
import { defineConfig } from "vitest/config";
import { unitProject } from "./vitest.config.ts";

export default defineConfig({
  plugins: unitProject.plugins,
  test: {
    ...unitProject.test,
    // Stryker switches mutants that act while a module loads (the transition table, the masking patterns)
    // by loading it again: every test file gets a fresh module graph.
    isolate: true,
    // Each mutant is a test run that loads its modules afresh, and drizzle alone is hundreds of files: bundled
    // once, the libraries load in a fraction of the time, and the whole run takes half as long.
    deps: {
      optimizer: {
        ssr: {
          enabled: true,
          include: [
            "drizzle-orm",
            "drizzle-orm/sqlite-core",
            "drizzle-orm/libsql/web",
            "@libsql/client/web",
            "@hono/zod-openapi",
          ],
        },
      },
    },
  },
});
