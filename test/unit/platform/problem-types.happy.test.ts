import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROBLEM_TYPES } from "../../../src/platform/http/problem";

const SRC = fileURLToPath(new URL("../../../src/", import.meta.url).href);
const REGISTRY = join(SRC, "platform", "http", "problem.ts");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/**
 * ApiError takes only registered codes (its type says so), so nothing can be sent that the OpenAPI document does not
 * list; this is the other direction: the document lists nothing the source no longer sends.
 */
describe("the registry of problem types", () => {
  it("lists only codes some source file still uses", () => {
    const source = sourceFiles(SRC)
      .filter((path) => path !== REGISTRY)
      .map((path) => readFileSync(path, "utf8"))
      .join("\n");
    const unused = Object.keys(PROBLEM_TYPES).filter((code) => !source.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });

  it("explains every code in one sentence or more", () => {
    for (const [code, meaning] of Object.entries(PROBLEM_TYPES)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(meaning, code).toMatch(/^[A-Z`].*\.$/);
    }
  });
});
