/**
 * `npm run test:mutation`: Stryker mutates the pure rules the unit tier covers and runs the unit project
 * (vitest.mutation.config.ts) against every mutant; the run fails below `thresholds.break`. The workerd pool
 * cannot host Stryker, so what only the workerd tiers reach (SQL, handlers, the Durable Object) is not mutated.
 */
import { readFileSync } from "node:fs";

/**
 * `file:from-to`: the lines of the top-level declarations from the one starting with `first` to the one
 * starting with `last`, found by their text so that the range follows the code when lines move. A file
 * that no longer has them stops the run rather than mutating the wrong lines.
 */
function declarations(file, first, last = first) {
  const lines = readFileSync(new URL(file, import.meta.url), "utf8").split("\n");
  const start = lines.findIndex((line) => line.startsWith(first));
  const lastStart = lines.findIndex((line, index) => start !== -1 && index >= start && line.startsWith(last));
  // A one-line declaration ends where it starts; a longer one at its closing bracket in the first column.
  const end = /[;}]$/.test(lines[lastStart] ?? "")
    ? lastStart
    : lines.findIndex((line, index) => lastStart !== -1 && index > lastStart && /^[}\]]/.test(line));
  if (end === -1) throw new Error(`stryker.config.mjs: ${file} has no top-level "${first}" … "${last}" any more`);
  return `${file}:${start + 1}-${end + 1}`;
}

/** Options: https://stryker-mutator.io/docs/stryker-js/configuration/ and …/vitest-runner/ */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  mutate: [
    // Transitions: the table, who may move an order, what a refund starts from (not transitionOrder, SQL).
    declarations("src/modules/orders/status.ts", "export const ACTORS", "export function canTransition("),
    // Refund arithmetic (its SQL twin, refundableSql, is the workers tier's).
    declarations("src/modules/payments/refunds.ts", "export function refundableAmount("),
    // Backoff schedules: sign-in/reset throttling and payment-event retries (their counters live in the database).
    declarations("src/modules/accounts/backoff.ts", "export function delayAfter("),
    declarations("src/modules/payments/queue-consumer.ts", "export function retryDelaySeconds("),
    // Canonical identity and password rules.
    "src/modules/accounts/identity.ts",
    // Signature checks.
    "src/modules/payments/webhook-signature.ts",
    declarations("src/platform/encoding.ts", "export function constantTimeEqual("),
    // Totals: every total with its discount, shipping, tax and refunded tax.
    "src/modules/pricing/totals.ts",
    // Discount codes: why one cannot apply, which lines it covers, who a use counts against; a rate for an address.
    // Not their SQL (codeIdByText, codeUsesQuery, customerKeySql, ratesForCountryQuery): the workers tier's.
    declarations("src/modules/discounts/apply.ts", "const REFUSALS", "export function customerKey("),
    declarations("src/modules/tax/rates.ts", "export function pickRate("),
    // Which option values a variant may have, and how a product's options may change.
    "src/modules/catalog/variants.ts",
    // Configuration, with its limits and its production refusals; log masking; cursors; the checkout saga.
    "src/platform/config.ts",
    "src/platform/logger.ts",
    declarations("src/platform/http/pagination.ts", "function encodeCursor(", "export function newestFirst("),
    "src/platform/saga.ts",
    // When a busy database is asked again, and when the API gives up.
    "src/platform/db/busy-retry.ts",
  ],
  concurrency: 2,
  reporters: ["clear-text", "progress", "json", "html"],
  // The surviving mutants, not the list of every test.
  clearTextReporter: { reportTests: false },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  // `break` is the score reached when the tier began (97.36 %), rounded down: raise it as the score rises.
  thresholds: { high: 98, low: 97, break: 97 },
  tempDirName: ".stryker-tmp",
  // The sandbox needs the sources, the tests and the configurations; not local databases or secrets.
  ignorePatterns: [".data", ".wrangler", ".dev.vars*", "coverage"],
};

export default config;
