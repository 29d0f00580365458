import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  descendantsOf,
  eventually,
  freePort,
  type NpmRun,
  npmRun,
  portIsFree,
  stillRunning,
  sweep,
} from "./support/processes.ts";

/** wrangler's first start builds the Worker and starts workerd: 5–15 s here, more on a loaded machine. */
const START_TIMEOUT_MS = 120_000;
/** What "within a few seconds" means for stopping everything. */
const STOP_WITHIN_MS = 10_000;

const started: { run: NpmRun; pids: number[]; dir: string }[] = [];

afterEach(() => {
  for (const { run, pids, dir } of started.splice(0)) {
    sweep([run.child.pid ?? 0, ...pids, ...descendantsOf(run.child.pid ?? 0).map((process) => process.pid)]);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function startDev() {
  const dir = mkdtempSync(join(tmpdir(), "dev-stop-"));
  const apiPort = await freePort();
  const databasePort = await freePort();
  const run = npmRun("dev", ["--persist-to", join(dir, "state")], {
    PORT: String(apiPort),
    LIBSQL_PORT: String(databasePort),
    LIBSQL_DB_PATH: join(dir, "dev.db"),
    DATABASE_URL: undefined,
    WRANGLER_SEND_METRICS: "false",
  });
  const entry = { run, pids: [] as number[], dir };
  started.push(entry);
  await run.waitFor(new RegExp(`API +http://localhost:${apiPort}`), START_TIMEOUT_MS);
  return { run, entry, apiPort, databasePort };
}

describe("npm run dev stops with everything it started", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(
      `${signal} to the npm process: wrangler, workerd and the database server are gone, the ports free, exit 0`,
      async () => {
        const { run, entry, apiPort, databasePort } = await startDev();
        // The banner comes once the API answers, not when wrangler starts.
        expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200);
        const tree = descendantsOf(run.child.pid ?? 0);
        entry.pids = tree.map((process) => process.pid);
        expect(tree.some((process) => /workerd/.test(process.command))).toBe(true);
        expect(tree.some((process) => /wrangler/.test(process.command))).toBe(true);

        const sent = Date.now();
        run.child.kill(signal);
        expect(await run.exited).toBe(0);
        expect(await eventually(() => stillRunning(entry.pids).length === 0, STOP_WITHIN_MS)).toBe(true);
        expect(Date.now() - sent).toBeLessThan(STOP_WITHIN_MS);
        expect(await portIsFree(apiPort)).toBe(true);
        expect(await portIsFree(databasePort)).toBe(true);
      },
      START_TIMEOUT_MS + 30_000,
    );
  }
});
