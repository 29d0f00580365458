import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import type { AppConfig } from "../config";
import { retryWhenBusy } from "./busy-retry";
import { unavailableWhenUnreachable } from "./unavailable";

/**
 * A drizzle client over libSQL's HTTP protocol: the same code path reaches the
 * local libSQL server in development and Turso in production. Creating one is
 * cheap (no connection is opened until the first query). `transport` replaces the HTTP client (tests use
 * it to lose the database in the middle of a request, or to count round trips); either way a busy database is
 * retried (`retryWhenBusy`), and a database that cannot be reached is reported as such
 * (`unavailableWhenUnreachable`: the transport's failure, a round trip past its deadline, or a proxy's 502/503/504;
 * never retried here, since a write may have applied).
 */
export function createDb(database: AppConfig["database"], transport?: { fetch: typeof fetch }) {
  const send: typeof fetch = transport?.fetch ?? ((input, init) => fetch(input, init));
  const client = createClient({
    url: database.url,
    authToken: database.authToken,
    fetch: retryWhenBusy(unavailableWhenUnreachable(send)),
  });
  return drizzle(client);
}

export type Database = ReturnType<typeof createDb>;
