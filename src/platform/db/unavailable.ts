/**
 * "The database cannot be reached", told apart from every other failure at the one place that knows it: the
 * database client's own `fetch`. A rejected `fetch` there is a transport failure on the way to the database
 * (connection refused or reset, DNS failure, TLS failure, a timeout): no HTTP answer came back. It becomes
 * `DatabaseUnavailableError`, which the API answers with 503 `database_unavailable` and `Retry-After`. Other
 * `fetch` calls (Stripe, email) never pass here, so their failures keep their own handling.
 */

/** What the client is told to wait before trying again, in seconds (the same as `/health` says). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

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

/** Wraps the database client's `fetch` so that a transport failure rejects with `DatabaseUnavailableError`. */
export function unavailableWhenUnreachable(send: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await send(input, init);
    } catch (error) {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      if (error instanceof DatabaseUnavailableError || abortedByCaller(error, signal)) throw error;
      throw new DatabaseUnavailableError(error);
    }
  };
}

/** Whether `error`, or one it wraps (drizzle and the libSQL client wrap the transport's), is the unreachable database. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof DatabaseUnavailableError) return true;
  }
  return false;
}
