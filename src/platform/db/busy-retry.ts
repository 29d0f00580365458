/**
 * The database's pushback under load, handled once for every caller: sqld and Turso answer HTTP 429 ("Too many
 * concurrent requests") when their request queue is full, and `SQLITE_BUSY` when a write cannot get the lock.
 * Neither changed anything, so a pipeline that stands alone (opens and closes its own stream: every
 * `execute` and `batch` outside an interactive transaction) is sent again, after a jittered, growing pause,
 * within a time budget. Past the budget the caller gets `DatabaseBusyError`, which the API answers with 503
 * `database_busy` and `Retry-After`. An interactive transaction's requests (they carry a baton) are never
 * repeated: the transaction they belong to may be gone.
 */

export interface BusyRetryPolicy {
  /** Retries of one round trip at most, and the total pause allowed across them. */
  maxRetries: number;
  budgetMs: number;
  /** The first pause's ceiling; each later one doubles it, up to `maxPauseMs`. */
  firstPauseMs: number;
  maxPauseMs: number;
}

export const BUSY_RETRY: BusyRetryPolicy = { maxRetries: 8, budgetMs: 2_000, firstPauseMs: 20, maxPauseMs: 500 };

/** What the client is told to wait before trying again, in seconds. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

export class DatabaseBusyError extends Error {
  constructor(readonly retries: number) {
    super(`the database stayed busy through ${retries} retries`);
    this.name = "DatabaseBusyError";
  }
}

interface PipelineBody {
  baton?: string | null;
  requests?: { type?: string }[];
}

interface PipelineResult {
  type?: string;
  error?: { code?: string };
  response?: { result?: { step_errors?: ({ code?: string } | null)[] } };
}

/** A pipeline that opens its stream and closes it again: nothing of it survives a refusal. */
export function standsAlone(body: string): boolean {
  let parsed: PipelineBody;
  try {
    parsed = JSON.parse(body) as PipelineBody;
  } catch {
    return false;
  }
  return (parsed.baton ?? null) === null && parsed.requests?.at(-1)?.type === "close";
}

function isBusy(error: { code?: string } | null | undefined): boolean {
  return error?.code === "SQLITE_BUSY";
}

/** Whether any statement of a pipeline's answer was refused for the write lock. */
export function refusedAsBusy(answer: string): boolean {
  let parsed: { results?: PipelineResult[] };
  try {
    parsed = JSON.parse(answer) as { results?: PipelineResult[] };
  } catch {
    return false;
  }
  return (
    parsed.results?.some(
      (result) => isBusy(result.error) || (result.response?.result?.step_errors?.some(isBusy) ?? false),
    ) ?? false
  );
}

/** The pause before retry `attempt` (1-based): anywhere up to the doubled ceiling ("full jitter"). */
export function pauseBefore(attempt: number, policy: BusyRetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxPauseMs, policy.firstPauseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Wraps the database client's `fetch` so that a busy database is retried as described above. */
export function retryWhenBusy(
  send: typeof fetch,
  policy: BusyRetryPolicy = BUSY_RETRY,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => number = Math.random,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.method !== "POST") return send(request);
    const body = await request.text();
    const again = () =>
      new Request(request.url, { method: "POST", headers: request.headers, body, signal: request.signal });
    let paused = 0;
    for (let attempt = 1; ; attempt++) {
      const response = await send(again());
      // Every answer passes here: it is parsed only when a statement may have met the lock, and the request only
      // once it is known to be refused.
      let answer: string | undefined;
      if (response.status !== 429) {
        answer = await response.text();
        if (!answer.includes("SQLITE_BUSY") || !refusedAsBusy(answer)) return new Response(answer, response);
      }
      if (!standsAlone(body)) return answer === undefined ? response : new Response(answer, response);
      const pause = pauseBefore(attempt, policy, random);
      if (attempt > policy.maxRetries || paused + pause > policy.budgetMs) throw new DatabaseBusyError(attempt - 1);
      paused += pause;
      await wait(pause);
    }
  };
}
