/**
 * `npm run storefront -w @edge-commerce/client`: the storefront example (storefront.ts) against a running API,
 * `API` (default http://localhost:8787, as `npm run dev` serves it, which has the mock payment controls). Prints
 * each step; exits non-zero at the first unexpected answer.
 */
import { runStorefront } from "./storefront.ts";

const baseUrl = process.env.API ?? "http://localhost:8787";
console.log(`storefront against ${baseUrl}`);
try {
  const run = await runStorefront({ baseUrl, search: process.env.SEARCH, log: (line) => console.log(line) });
  console.log(
    `done: guest order ${run.guestOrder.id}, account order ${run.accountOrder.id} (${run.accountOrder.status})`,
  );
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  console.error(`storefront failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exitCode = 1;
}
