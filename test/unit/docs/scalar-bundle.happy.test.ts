import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundleModuleText, GENERATED_MODULE } from "../../../scripts/docs/copy-docs-assets";

describe("the docs page's pinned Scalar bundle", () => {
  it("is named, path and hash, by the committed module as the installed package makes it (else: npm run docs:assets)", () => {
    expect(readFileSync(GENERATED_MODULE, "utf8")).toBe(bundleModuleText());
  });
});
