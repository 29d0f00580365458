import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createWorker } from "../../../src";
import type { ServiceOverrides } from "../../../src/services";
import { databaseThrough } from "./faults";
import { BASE_URL } from "./worker";

/**
 * Each round trip through the link takes at least this long, as on a real network: work a request leaves running
 * (`waitUntil`) after its last awaited round trip then finishes after the response, never before it.
 */
const TRIP_MS = 5;

/** A line to the database that counts round trips, split by whether the response had been given when each ended. */
export class CountingLink {
  #responded = false;
  beforeResponse = 0;
  afterResponse = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    await new Promise((resolve) => setTimeout(resolve, TRIP_MS));
    if (this.#responded) this.afterResponse++;
    else this.beforeResponse++;
    return response;
  };

  get total(): number {
    return this.beforeResponse + this.afterResponse;
  }

  responded(): void {
    this.#responded = true;
  }
}

export interface Measured {
  response: Response;
  /** Database round trips the response waited for: what a shopper far from the database pays in distance. */
  beforeResponse: number;
  /** Round trips of work the request left running after its response (`waitUntil`). */
  afterResponse: number;
}

/** Calls the Worker through its fetch handler with a database line that counts round trips. */
export async function measureRoundTrips(path: string, init: RequestInit = {}): Promise<Measured> {
  const link = new CountingLink();
  const ctx = createExecutionContext();
  const served = await createWorker(databaseThrough(link)).fetch(new Request(new URL(path, BASE_URL), init), env, ctx);
  const body = await served.arrayBuffer();
  link.responded();
  await waitOnExecutionContext(ctx);
  return {
    response: new Response(body, served),
    beforeResponse: link.beforeResponse,
    afterResponse: link.afterResponse,
  };
}

export interface CountingDatabase {
  /** Pass to `callWorkerWith(env, path, init, overrides)`: the Worker's database client, counting what it sends. */
  overrides: ServiceOverrides;
  /** Round trips made so far by the Worker calls given `overrides` (a `batch` is one). */
  trips(): number;
}

/** The test database behind a line that counts round trips. Make one per test: calls that share it share the count. */
export function countingDatabase(): CountingDatabase {
  const link = new CountingLink();
  return { overrides: databaseThrough(link), trips: () => link.total };
}
