/**
 * `npm run knip` (part of `npm test`): files, exports and dependencies that
 * nothing uses. A TypeScript file rather than knip.json so that exceptions
 * can say why they are exceptions.
 */
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  workspaces: {
    ".": {
      // src/index.ts, vitest.config.ts and drizzle.config.ts come from knip's wrangler
      // (`main`), vitest and drizzle plugins; listing them again only draws a hint.
      entry: [
        "scripts/*.ts",
        "scripts/**/*.ts",
        "test/**/*.ts",
        // A module's context.ts adds its request variables to AppVariables by declaration
        // merging (src/platform/http/types.ts): tsconfig's include brings it in, no import does.
        "src/modules/*/context.ts",
        // The front Worker's main, named by wrangler.front.toml (knip's wrangler plugin reads wrangler.toml only).
        "src/front.ts",
      ],
      project: ["src/**/*.ts", "scripts/**/*.ts", "test/**/*.ts", "*.config.ts"],
      // vitest.mutation.config.ts is Stryker's (`vitest.configFile` in stryker.config.mjs), which knip's Stryker plugin
      // does not follow; naming it replaces the vitest plugin's default list, so vitest.config.ts is named again.
      vitest: { config: ["vitest.config.ts", "vitest.mutation.config.ts"] },
      ignoreDependencies: [
        // No file imports it: test/node/openapi-document.happy.test.ts runs its `redocly` binary on the document.
        "@redocly/cli",
        // No file imports it: @hono/zod-openapi does, as a peer dependency
        // (its request validation is zod-validator's), so it must stay.
        "@hono/zod-validator",
        // No file imports it: scripts/docs-assets.ts copies its browser bundle out of node_modules (the package's
        // exports map offers no path to that file), pinned by the lockfile like any dependency.
        "@scalar/api-reference",
      ],
    },
    "packages/client": {
      // src/index.ts is the package's export (package.json); the examples are run by hand (its `storefront`
      // script) and by the suite (test/workers/client).
      entry: ["examples/*.ts"],
      project: ["src/**/*.ts", "examples/**/*.ts"],
    },
    "tools/*": {
      entry: ["src/**/*.ts", "test/**/*.ts"],
      project: ["src/**/*.ts", "test/**/*.ts"],
    },
  },
};

export default config;
