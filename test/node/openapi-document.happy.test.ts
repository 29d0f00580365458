import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { TEST_BINDINGS } from "../fixtures/environments.ts";

/**
 * Builds the Worker the way `wrangler deploy` does (esbuild bundle from
 * wrangler.toml), runs it in workerd, and validates its OpenAPI document
 * against the official 3.1 schema: the validator needs Node, so this check
 * lives on the Node side, as does Redocly's lint (its CLI), which shares the harness. The harness also runs
 * wrangler's asset router in front of the Worker, as deployed, which the workers pool does not.
 */
describe("the bundled Worker's OpenAPI document and its docs page", () => {
  let harness: TestHarness;

  beforeAll(async () => {
    harness = createTestHarness({
      workers: [
        {
          configPath: "./wrangler.toml",
          vars: { ...TEST_BINDINGS, DATABASE_URL: "http://127.0.0.1:9" },
          secrets: { JWT_SECRET: TEST_BINDINGS.JWT_SECRET },
        },
      ],
    });
    await harness.listen();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it("is valid OpenAPI 3.1", async () => {
    const response = await harness.fetch("/openapi.json");
    expect(response.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate((await response.json()) as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("passes Redocly's recommended lint (redocly.yaml) without a single error or warning", async () => {
    const response = await harness.fetch("/openapi.json");
    const directory = await mkdtemp(join(tmpdir(), "openapi-lint-"));
    try {
      const file = join(directory, "openapi.json");
      await writeFile(file, await response.text());
      const problems = await redoclyProblems(file);
      // Printed in full, so a failure says which rule fired where.
      expect(
        problems.map((problem) => `${problem.severity} ${problem.ruleId} at ${problem.where}: ${problem.message}`),
      ).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it("serves /docs and, through the asset router before the Worker runs, the script it loads, matching its integrity", async () => {
    const page = await harness.fetch("/docs");
    expect(page.status).toBe(200);
    const tag = /<script\b[^>]*\ssrc="([^"]+)"[^>]*\sintegrity="(sha384-[^"]+)"/.exec(await page.text());
    const [, src = "", integrity] = tag ?? [];
    const script = await harness.fetch(src);
    expect(script.status).toBe(200);
    // Answered by the assets: the Worker would have added its request id.
    expect(script.headers.get("x-request-id")).toBeNull();
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript\b/);
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const digest = createHash("sha384")
      .update(Buffer.from(await script.arrayBuffer()))
      .digest("base64");
    expect(integrity).toBe(`sha384-${digest}`);
  });
});

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  where: string;
}

/** Every problem `redocly lint` finds in `file` with the repository's redocly.yaml, of any severity. */
async function redoclyProblems(file: string): Promise<LintProblem[]> {
  const args = ["lint", file, "--config", "redocly.yaml", "--format", "json", "--max-problems", "1000"];
  // The CLI exits non-zero when it finds errors; its JSON report is on stdout either way.
  const { stdout } = await promisify(execFile)("node_modules/.bin/redocly", args, {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const report = JSON.parse(stdout) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  return report.problems.map(({ ruleId, severity, message, location }) => ({
    ruleId,
    severity,
    message,
    where: location[0]?.pointer ?? "",
  }));
}
