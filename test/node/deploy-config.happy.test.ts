import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Unstable_Config, unstable_readConfig } from "wrangler";

/**
 * Every deployable Worker: the one Worker of staging, and production's placed and front Workers. The top level of
 * wrangler.toml is the local development and test configuration (no database URL, development secrets), and the top
 * level of wrangler.front.toml has no bindings: neither is deployed, and wrangler itself warns when a deploy names no
 * environment.
 */
const DEPLOYMENTS = [
  { config: "wrangler.toml", env: "staging" },
  { config: "wrangler.toml", env: "production" },
  { config: "wrangler.front.toml", env: "production" },
] as const;

type Deployment = (typeof DEPLOYMENTS)[number];

const label = ({ config, env }: Deployment) => `${config} --env ${env}`;
const readConfig = ({ config, env }: Deployment): Unstable_Config => unstable_readConfig({ config, env });
const namespaceIds = (config: Unstable_Config) =>
  new Map(config.ratelimits.map((limiter) => [limiter.name, limiter.namespace_id]));

const run = promisify(execFile);
/** The project's wrangler, run by this Node (no npx lookup per run). */
const WRANGLER = "node_modules/wrangler/bin/wrangler.js";
const outdir = mkdtempSync(join(tmpdir(), "deploy-dry-run-"));
const dryRuns = new Map<string, { exitCode: number; output: string }>();

/**
 * What `wrangler deploy` would upload, without uploading: bundling, config validation and its warnings (`▲ [WARNING]`,
 * colored even without a terminal, hence the stripping).
 */
async function dryRun(deployment: Deployment, index: number) {
  const args = [WRANGLER, "deploy", "--dry-run", "--outdir", join(outdir, String(index))];
  args.push("--config", deployment.config, "--env", deployment.env);
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { exitCode: 0, output: stripVTControlCharacters(`${stdout}${stderr}`) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      exitCode: failed.code ?? 1,
      output: stripVTControlCharacters(`${failed.stdout ?? ""}${failed.stderr ?? ""}`),
    };
  }
}

beforeAll(async () => {
  // One dry run per deployment, all at once: each is a separate wrangler process bundling the Worker.
  const results = await Promise.all(DEPLOYMENTS.map(dryRun));
  DEPLOYMENTS.forEach((deployment, index) => {
    dryRuns.set(label(deployment), results[index] as { exitCode: number; output: string });
  });
}, 180_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("wrangler deploy --dry-run", () => {
  it.each(DEPLOYMENTS.map((deployment) => [label(deployment), deployment] as const))(
    "%s bundles and validates with no warning",
    (name) => {
      const result = dryRuns.get(name);
      expect(result?.output).toContain("--dry-run: exiting now.");
      expect(result?.exitCode, result?.output).toBe(0);
      expect(result?.output).not.toContain("[WARNING]");
      expect(result?.output).not.toContain("[ERROR]");
    },
  );
});

describe("each environment ends with a URL, and counts its own rate limits", () => {
  it("staging answers on workers.dev; production on the front Worker's custom domain, the placed Worker on none", () => {
    const [staging, placed, front] = DEPLOYMENTS.map(readConfig);
    expect(staging?.workers_dev).toBe(true);
    expect(staging?.preview_urls).toBe(false);
    expect(placed?.workers_dev).toBe(false);
    expect(placed?.preview_urls).toBe(false);
    expect(placed?.routes ?? []).toEqual([]);
    expect(front?.workers_dev).toBe(false);
    expect(front?.preview_urls).toBe(false);
    expect(front?.routes).toEqual([{ pattern: expect.stringMatching(/^[a-z0-9.-]+$/), custom_domain: true }]);
    // The front's PLACED binding names the placed Worker's script (name + "-production").
    expect(front?.services).toEqual([{ binding: "PLACED", service: placed?.name }]);
  });

  it("rate-limit namespaces are per environment; production's placed and front Workers share one budget", () => {
    const [staging, placed, front] = DEPLOYMENTS.map((deployment) => namespaceIds(readConfig(deployment)));
    const local = namespaceIds(unstable_readConfig({ config: "wrangler.toml" }));
    expect(placed?.size).toBeGreaterThan(0);
    expect(front).toEqual(placed);
    expect(staging && [...staging.keys()].sort()).toEqual(placed && [...placed.keys()].sort());
    const ids = [...(staging?.values() ?? []), ...(placed?.values() ?? []), ...local.values()];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the copies of one setting agree", () => {
  const limits = (config: Unstable_Config) =>
    Object.fromEntries(config.ratelimits.map((limiter) => [limiter.name, limiter.simple]));

  it("every environment limits each client alike: only the namespaces differ", () => {
    const [staging, placed, front] = DEPLOYMENTS.map((deployment) => limits(readConfig(deployment)));
    const local = limits(unstable_readConfig({ config: "wrangler.toml" }));
    expect(Object.keys(placed ?? {}).length).toBeGreaterThan(0);
    expect(front).toEqual(placed);
    expect(staging).toEqual(placed);
    expect(local).toEqual(placed);
  });

  it("production's front Worker runs the app with the placed Worker's variables and required secrets", () => {
    const [, placed, front] = DEPLOYMENTS.map(readConfig);
    expect(front?.vars).toEqual(placed?.vars);
    expect(front?.secrets?.required).toEqual(placed?.secrets?.required);
  });
});
