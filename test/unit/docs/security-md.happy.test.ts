import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url).href);

/** Every backticked path in SECURITY.md's tables: source files and folders, and tests (written relative to test/). */
function namedPaths(): string[] {
  const text = readFileSync(join(ROOT, "SECURITY.md"), "utf8");
  const paths = [...text.matchAll(/`([^`\s]+)`/g)]
    .map((match) => match[1] as string)
    .filter((path) => /^(src|tools|scripts|test|workers|node|unit)\/|^(wrangler\.toml|package\.json)$/.test(path));
  return [...new Set(paths)];
}

/** A path exists as written, or under test/; `*` in a file name matches within its folder. */
function exists(path: string): boolean {
  for (const candidate of [path, join("test", path)]) {
    const full = join(ROOT, candidate);
    if (!candidate.includes("*")) {
      if (existsSync(full)) return true;
      continue;
    }
    const folder = dirname(full);
    const pattern = new RegExp(
      `^${basename(full)
        .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")}$`,
    );
    if (existsSync(folder) && readdirSync(folder).some((name) => pattern.test(name))) return true;
  }
  return false;
}

describe("SECURITY.md", () => {
  it("names only files and tests that exist", () => {
    const paths = namedPaths();
    expect(paths.length).toBeGreaterThan(50);
    expect(paths.filter((path) => !exists(path))).toEqual([]);
  });
});
