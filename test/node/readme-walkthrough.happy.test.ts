import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useFreshStack } from "./support/fresh-stack.ts";
import { checkExchanges, type OpenApiDocument } from "./support/openapi-conformance.ts";
import { runWalkthrough, walkthroughBlocks } from "./support/readme-walkthrough.ts";

describe("the README's shell walkthrough", () => {
  const stack = useFreshStack();

  it("runs in order against a fresh stack, and every response is the one /openapi.json documents", async () => {
    const { database, harness, proxy } = stack;
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
    const mismatches = checkExchanges(document, proxy.exchanges);
    console.log(`${proxy.exchanges.length} HTTP exchanges; ${mismatches.length} distinct mismatches`);
    expect(proxy.exchanges.length).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  }, 180_000);
});
