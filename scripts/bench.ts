/**
 * `npm run bench`: what a shopper's visit costs with the database near and
 * far, and checkout throughput under contention. A script that prints
 * figures, never a test: these machines are shared, so compare medians and
 * ratios from one run.
 *
 * Starts the libSQL server (its own process), a latency proxy in front of it
 * and the Worker as wrangler builds it (workerd, real Durable Objects), then:
 * 1. at RTT 0 and at `--db-rtt`, `--iterations` visits through the HTTP API,
 *    each by a new shopper from its own address, timing every step and
 *    counting its round trips to the database (scripts/bench/visit.ts);
 * 2. at RTT 0, for each of `--levels`, the contention scenarios (hot product,
 *    spread, bare reserve RPC; scripts/bench/contention.ts) and the checkout
 *    rates as a fraction of the reserve RPC's.
 *
 * Usage: npm run bench [-- --db-rtt 100] [--iterations 20] [--levels 50,200,1000]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { makeAccounts } from "./bench/arrange.ts";
import { runWithCleanup } from "./bench/cleanup.ts";
import { runContention, type ScenarioRow } from "./bench/contention.ts";
import { log, type Stack, startStack } from "./bench/stack.ts";
import { markdownTable, median, percentile } from "./bench/stats.ts";
import { type StepSample, VISIT_STEPS, visit } from "./bench/visit.ts";

interface Options {
  roundTripsMs: number[];
  iterations: number;
  levels: number[];
}

function nonNegativeInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${option} must be a whole number ≥ 0, not ${text}`);
  return value;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      "db-rtt": { type: "string", default: "0" },
      iterations: { type: "string", default: "20" },
      levels: { type: "string", default: "50,200,1000" },
    },
  });
  const farMs = nonNegativeInteger(values["db-rtt"], "db-rtt");
  const iterations = nonNegativeInteger(values.iterations, "iterations");
  if (iterations < 1) throw new Error("--iterations must be at least 1");
  const levels = values.levels.split(",").map((level) => nonNegativeInteger(level, "levels"));
  return { roundTripsMs: farMs === 0 ? [0] : [0, farMs], iterations, levels };
}

/** Distinct addresses for every visitor (172.16.0.0/12), apart from the contention shoppers' 10.0.0.0/8. */
function visitorIp(series: number, iteration: number): string {
  return `172.${16 + series}.${(iteration >> 8) & 255}.${iteration & 255}`;
}

async function visitSeries(stack: Stack, series: number, roundTripMs: number, iterations: number) {
  stack.proxy.setRoundTripMs(roundTripMs);
  // One more account than measured visits: the first visit warms the Worker and its connections and is not kept.
  const accounts = await makeAccounts(stack.db, iterations + 1);
  const samples: StepSample[] = [];
  for (const [index, account] of accounts.entries()) {
    const visitSamples = await visit(stack, { email: account.email, ip: visitorIp(series, index) }, roundTripMs);
    if (index > 0) samples.push(...visitSamples);
  }
  log(`RTT ${roundTripMs} ms: ${iterations} visits done`);
  return samples;
}

function countCell(counts: number[]): string {
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  return least === most ? String(least) : `${median(counts)} (${least}–${most})`;
}

function visitTable(seriesByRtt: Map<number, StepSample[]>): string {
  const rtts = [...seriesByRtt.keys()];
  const all = [...seriesByRtt.values()].flat();
  const header = [
    "step",
    "round trips",
    "after response",
    ...rtts.flatMap((rtt) => [`p50 ms @${rtt}`, `p99 ms @${rtt}`]),
  ];
  const rows = VISIT_STEPS.map((step) => {
    const mine = all.filter((sample) => sample.step === step);
    return [
      step,
      countCell(mine.map((sample) => sample.roundTrips)),
      countCell(mine.map((sample) => sample.afterResponse)),
      ...rtts.flatMap((rtt) => {
        const ms = (seriesByRtt.get(rtt) ?? []).filter((sample) => sample.step === step).map((sample) => sample.ms);
        return [percentile(ms, 50).toFixed(0), percentile(ms, 99).toFixed(0)];
      }),
    ];
  });
  return markdownTable(
    header,
    [false, true, true, ...rtts.flatMap(() => [true, true])],
    [...rows, totalRow(seriesByRtt)],
  );
}

/** The whole visit: its steps' round trips added up, and the time of each visit added up. */
function totalRow(seriesByRtt: Map<number, StepSample[]>): string[] {
  const stepsPerVisit = VISIT_STEPS.length;
  const totals = (samples: StepSample[], pick: (sample: StepSample) => number) =>
    Array.from({ length: samples.length / stepsPerVisit }, (_, visitIndex) =>
      samples.slice(visitIndex * stepsPerVisit, (visitIndex + 1) * stepsPerVisit).reduce((sum, s) => sum + pick(s), 0),
    );
  const all = [...seriesByRtt.values()].flat();
  return [
    "**whole visit**",
    countCell(totals(all, (sample) => sample.roundTrips)),
    countCell(totals(all, (sample) => sample.afterResponse)),
    ...[...seriesByRtt.values()].flatMap((samples) => {
      const ms = totals(samples, (sample) => sample.ms);
      return [percentile(ms, 50).toFixed(0), percentile(ms, 99).toFixed(0)];
    }),
  ];
}

function contentionTable(rows: ScenarioRow[]): string {
  return markdownTable(
    ["scenario", "N concurrent", "per second", "p50 ms", "p99 ms", "answers", "oversold"],
    [false, true, true, true, true, false, true],
    rows.map((row) => [
      row.scenario,
      String(row.n),
      row.perSecond.toFixed(0),
      row.p50.toFixed(0),
      row.p99.toFixed(0),
      row.answers,
      String(row.oversold),
    ]),
  );
}

function throughputRatios(rows: ScenarioRow[]): string[] {
  const levels = [...new Set(rows.map((row) => row.n))];
  return levels.map((n) => {
    const rate = (scenario: ScenarioRow["scenario"]) =>
      rows.find((row) => row.n === n && row.scenario === scenario)?.perSecond ?? Number.NaN;
    const reserve = rate("reserve RPC, one product");
    const ratio = (scenario: ScenarioRow["scenario"]) =>
      `${rate(scenario).toFixed(0)}/s = ${(rate(scenario) / reserve).toFixed(2)}`;
    const oversold = rows.filter((row) => row.n === n).reduce((sum, row) => sum + row.oversold, 0);
    return `Throughput ratio at RTT 0, N=${n}: hot checkout ${ratio("checkout, one hot product")}, spread checkout ${ratio("checkout, spread over products")} of the bare reserve RPC (${reserve.toFixed(0)}/s); oversold: ${oversold}`;
  });
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<number> {
  const options = readOptions();
  const stack = await startStack();
  const seriesByRtt = new Map<number, StepSample[]>();
  for (const [series, roundTripMs] of options.roundTripsMs.entries()) {
    seriesByRtt.set(roundTripMs, await visitSeries(stack, series, roundTripMs, options.iterations));
  }
  stack.proxy.setRoundTripMs(0);
  const scenarios = await runContention(stack, options.levels);

  console.log(`\nMachine: ${machine()}`);
  console.log(
    `\nA visit, step by step (${options.iterations} visits per RTT; round trips to the database while the request ran, and after its response):\n`,
  );
  console.log(visitTable(seriesByRtt));
  console.log("\nCheckout under contention, RTT 0:\n");
  console.log(contentionTable(scenarios));
  console.log("");
  for (const line of throughputRatios(scenarios)) console.log(line);
  return scenarios.some((row) => row.oversold > 0) ? 1 : 0;
}

await runWithCleanup(main);
