/**
 * "The database cannot be reached", told apart from every other failure at the one place that knows it: the
 * database client's own `fetch`. Three things become `DatabaseUnavailableError`, which the API answers with 503
 * `database_unavailable` and `Retry-After`: a rejected `fetch` (connection refused or reset, DNS failure, TLS
 * failure: no HTTP answer came back); a round trip that outlasts `DATABASE_ROUND_TRIP_TIMEOUT_MS` (a database that
 * accepts the connection and never answers); and HTTP 502, 503 or 504, which only a proxy in front of sqld or Turso
 * answers when the database behind it is down (sqld's own pushback is 429, left to `retryWhenBusy`). Other `fetch`
 * calls (Stripe, email) never pass here, so their failures keep their own handling.
 */

import { inCauseChain } from "./errors";

/** What the client is told to wait before trying again, in seconds (the same as `/health` says). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The longest one round trip (request sent, whole answer read) may take. The slowest legitimate one is a write
 * that queues for one of sqld's connection slots and then for the write lock, which sqld hands on after at most
 * 5 s (its transaction timeout rolls the holder back); 15 s leaves room for that and a slow aggregate read, and
 * still frees the request well before a client would give up on it.
 */
export const DATABASE_ROUND_TRIP_TIMEOUT_MS = 15_000;

/** Statuses only a proxy answers for a database behind it that is down, overloaded past its limits, or silent. */
const PROXY_UNAVAILABLE = new Set([502, 503, 504]);

export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the database could not be reached", { cause });
    this.name = "DatabaseUnavailableError";
  }
}

/** Whether a rejection is the caller's own abort, which says nothing about the database. */
function abortedByCaller(error: unknown, signal: AbortSignal | null | undefined): boolean {
  return signal?.aborted === true && error === signal.reason;
}

/**
 * Wraps the database client's `fetch` so that an unreachable database, a round trip past `timeoutMs`, or a proxy's
 * 502/503/504 rejects with `DatabaseUnavailableError`. The answer is read whole under the same deadline (the
 * client reads it whole anyway), so a body that stops half-way is bounded too. The caller's own abort passes
 * through unchanged.
 */
export function unavailableWhenUnreachable(
  send: typeof fetch,
  timeoutMs: number = DATABASE_ROUND_TRIP_TIMEOUT_MS,
): typeof fetch {
  return async (input, init) => {
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
    let response: Response;
    let body: ArrayBuffer | null;
    try {
      response = await send(input, { ...init, signal });
      if (PROXY_UNAVAILABLE.has(response.status)) {
        // The proxy's page may name hosts or internals: it is dropped unread, and only the status is kept.
        await response.body?.cancel().catch(() => undefined);
        throw new DatabaseUnavailableError(new Error(`the database's endpoint answered HTTP ${response.status}`));
      }
      body = response.body === null ? null : await response.arrayBuffer();
    } catch (error) {
      if (error instanceof DatabaseUnavailableError || abortedByCaller(error, callerSignal)) throw error;
      throw new DatabaseUnavailableError(error);
    }
    return new Response(body, response);
  };
}

/** Whether `error`, or one it wraps (drizzle and the libSQL client wrap the transport's), is the unreachable database. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return inCauseChain(error, (current) => current instanceof DatabaseUnavailableError);
}
