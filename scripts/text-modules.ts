/**
 * Lets Node import `*.txt` files as a default-exported string, as wrangler's
 * Text module rule (wrangler.toml `[[rules]]`) does for the Worker. Scripts
 * that reach src/modules/accounts/identity.ts (and so the common-password
 * list) import this first. Node links a module's static imports before it
 * runs any of them, so such modules must then be loaded with `await import()`.
 */
import { readFileSync } from "node:fs";
import { registerHooks } from "node:module";

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith("file:") || !new URL(url).pathname.endsWith(".txt")) return nextLoad(url, context);
    const text = readFileSync(new URL(url), "utf8");
    return { format: "module", source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  },
});
