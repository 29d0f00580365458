import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { seedDemoCatalog } from "../../scripts/seed/seed-demo-catalog.ts";
import { TEST_BINDINGS } from "../fixtures/environments.ts";
import { createConformanceChecker, type Mismatch, type OpenApiDocument } from "./support/openapi-conformance.ts";
import { type RecordingProxy, startRecordingProxy } from "./support/recording-proxy.ts";
import { useMigratedServer } from "./support/scripts.ts";

interface Block {
  /** The line of the opening fence in README.md, 1-based. */
  readmeLine: number;
  lines: string[];
}

/** The README's walkthrough: every ```sh block, in order, except those marked ```sh no-run. */
function walkthroughBlocks(readme: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  readme.split("\n").forEach((line, index) => {
    if (current) {
      if (line.trim() === "```") {
        blocks.push(current);
        current = undefined;
      } else {
        current.lines.push(line);
      }
      return;
    }
    const fence = /^```sh(?:\s+(.*))?$/.exec(line.trim());
    if (fence && !(fence[1] ?? "").split(/\s+/).includes("no-run")) current = { readmeLine: index + 1, lines: [] };
  });
  return blocks;
}

/**
 * One bash script: strict mode, and curl failing on an HTTP error (with the problem it got) so that a step that
 * breaks stops the walkthrough there. Returns the script and, per block, its first line in the script.
 */
function walkthroughScript(blocks: Block[]): { script: string; starts: number[] } {
  const lines = [
    "set -euo pipefail",
    `trap 'echo "walkthrough: failed at script line $LINENO" >&2' ERR`,
    'curl() { command curl --fail-with-body --show-error "$@"; }',
  ];
  const starts: number[] = [];
  for (const block of blocks) {
    lines.push(`echo "### README.md line ${block.readmeLine}"`);
    starts.push(lines.length + 1);
    lines.push(...block.lines);
  }
  return { script: `${lines.join("\n")}\n`, starts };
}

function runBash(
  file: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [file], { env: { ...process.env, ...env }, detached: true });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\nwalkthrough: killed after ${timeoutMs} ms`;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe("the README's shell walkthrough", () => {
  const database = useMigratedServer();
  let harness: TestHarness;
  let proxy: RecordingProxy;
  const workDir = mkdtempSync(join(tmpdir(), "readme-walkthrough-"));

  beforeAll(async () => {
    // What `npm run dev` starts from: a fresh migrated database with the demo catalog.
    await seedDemoCatalog(database.url);
    harness = createTestHarness({
      workers: [
        {
          configPath: "./wrangler.toml",
          // Development, as `npm run dev` runs it: the mock payment provider's controls and the outbox exist only there.
          vars: { ...TEST_BINDINGS, ENVIRONMENT: "development", DATABASE_URL: database.url },
          secrets: { JWT_SECRET: TEST_BINDINGS.JWT_SECRET },
        },
      ],
    });
    const { url } = await harness.listen();
    proxy = await startRecordingProxy(url, (target, init) => harness.fetch(target, init));
  }, 90_000);

  afterAll(async () => {
    await proxy?.close();
    await harness?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("runs in order against a fresh stack, and every response is the one /openapi.json documents", async () => {
    const blocks = walkthroughBlocks(readFileSync("README.md", "utf8"));
    expect(blocks.length).toBeGreaterThan(5);
    const { script, starts } = walkthroughScript(blocks);
    const file = join(workDir, "walkthrough.sh");
    writeFileSync(file, script);

    // The README's base URL and create-admin's / db:seed's database, pointed at this stack.
    const result = await runBash(file, { API: proxy.url, DATABASE_URL: database.url }, 150_000);
    if (result.status !== 0) {
      const failedLine = Number(/failed at script line (\d+)/.exec(result.output)?.[1] ?? Number.NaN);
      const index = starts.findLastIndex((start) => start <= failedLine);
      const block = blocks[index];
      const where = block
        ? `the block at README.md line ${block.readmeLine} (its line ${failedLine - (starts[index] ?? 0) + 1}):\n${block.lines.join("\n")}`
        : "an unknown block";
      expect.fail(
        `The walkthrough failed (exit ${result.status}) in ${where}\n--- output ---\n${result.output.slice(-6000)}`,
      );
    }

    // Shown with a failing conformance check below: what each step answered.
    console.log(result.output);
    const document = (await (await harness.fetch("/openapi.json")).json()) as OpenApiDocument;
    const check = createConformanceChecker(document);
    const seen = new Set<string>();
    const mismatches: Mismatch[] = [];
    for (const exchange of proxy.exchanges) {
      for (const mismatch of check(exchange)) {
        const key = `${mismatch.kind} ${mismatch.exchange} ${mismatch.detail}`;
        if (!seen.has(key)) {
          seen.add(key);
          mismatches.push(mismatch);
        }
      }
    }
    console.log(`${proxy.exchanges.length} HTTP exchanges; ${mismatches.length} distinct mismatches`);
    expect(proxy.exchanges.length).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  }, 180_000);
});
