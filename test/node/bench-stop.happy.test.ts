import { afterEach, describe, expect, it } from "vitest";
import { descendantsOf, eventually, type NpmRun, npmRun, stillRunning, sweep } from "./support/processes.ts";

const STOP_WITHIN_MS = 10_000;

const started: { run: NpmRun; pids: number[] }[] = [];

afterEach(() => {
  for (const { run, pids } of started.splice(0)) {
    sweep([run.child.pid ?? 0, ...pids, ...descendantsOf(run.child.pid ?? 0).map((process) => process.pid)]);
  }
});

describe("npm run bench stops with everything it started", () => {
  // Early (its database just started, the Worker not yet) and once the Worker runs (workerd started too).
  for (const moment of [/\[bench\] database on/, /\[bench\] worker started/]) {
    it(`SIGTERM to the npm process after ${moment.source}: its database server and workerd are gone, exit 143`, async () => {
      const run = npmRun("bench", ["--iterations", "1", "--levels", "1"], { WRANGLER_SEND_METRICS: "false" });
      const entry = { run, pids: [] as number[] };
      started.push(entry);
      await run.waitFor(moment, 120_000);
      const tree = descendantsOf(run.child.pid ?? 0);
      entry.pids = tree.map((process) => process.pid);
      expect(tree.some((process) => /database-process/.test(process.command))).toBe(true);

      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(143);
      expect(await eventually(() => stillRunning(entry.pids).length === 0, STOP_WITHIN_MS)).toBe(true);
    }, 150_000);
  }
});
