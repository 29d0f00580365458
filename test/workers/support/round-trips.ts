import { inject } from "vitest";
import { createDb } from "../../../src/platform/db/client";
import type { ServiceOverrides } from "../../../src/services";

export interface CountingDatabase {
  /** Pass to `callWorkerWith(env, path, init, overrides)`: the Worker's database client, counting what it sends. */
  overrides: ServiceOverrides;
  /** HTTP requests made to the database so far by the Worker calls given `overrides`: one per round trip. */
  trips(): number;
}

/**
 * The test database behind a client that counts its round trips (libSQL over HTTP sends one request per round
 * trip, a `batch` included). Make one per test: calls that share it share the count.
 */
export function countingDatabase(): CountingDatabase {
  let trips = 0;
  const countingFetch: typeof fetch = (input, init) => {
    trips += 1;
    return fetch(input, init);
  };
  const db = () => createDb({ url: inject("databaseUrl"), authToken: undefined }, { fetch: countingFetch });
  return { overrides: () => ({ db: db() }), trips: () => trips };
}
