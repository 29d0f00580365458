/**
 * The Vite (so vitest) counterpart of scripts/text-modules.ts: `*.txt` files
 * import as a default-exported string, as wrangler's Text module rule
 * (wrangler.toml `[[rules]]`) makes them for the Worker. The Node test
 * projects need it for src/modules/accounts/identity.ts (the common-password list).
 */
import { readFile } from "node:fs/promises";
import type { Plugin } from "vite";

export function textModules(): Plugin {
  return {
    name: "text-modules",
    enforce: "pre",
    async load(id) {
      const [path = ""] = id.split("?");
      if (!path.endsWith(".txt")) return null;
      return `export default ${JSON.stringify(await readFile(path, "utf8"))};`;
    },
  };
}
