import { randomBytes } from "node:crypto";
import { SqlConnection } from "./connection.ts";
import { HranaError } from "./protocol.ts";
import { WriteLock } from "./write-lock.ts";

const MAX_STORED_SQL = 150;
const MAX_IDLE_CONNECTIONS = 8;
const REMEMBERED_EXPIRED_BATONS = 10_000;

/** A stateful stream: its own connection, its stored SQL texts, and an idle timer while it waits for the client. */
export class Stream {
  readonly storedSql = new Map<number, string>();
  idleTimer: NodeJS.Timeout | undefined;

  constructor(readonly connection: SqlConnection) {}

  storeSql(id: number, sql: string): void {
    if (!this.storedSql.has(id) && this.storedSql.size >= MAX_STORED_SQL) {
      throw new HranaError(`a stream may store at most ${MAX_STORED_SQL} SQL texts`, "SQL_STORE_FULL");
    }
    this.storedSql.set(id, sql);
  }

  resolveSql(source: { sql?: string | undefined; sql_id?: number | undefined }): string {
    if (source.sql !== undefined) return source.sql;
    const stored = source.sql_id === undefined ? undefined : this.storedSql.get(source.sql_id);
    if (stored === undefined)
      throw new HranaError(`SQL text ${source.sql_id} is not stored on this stream`, "SQL_NOT_FOUND");
    return stored;
  }
}

export interface StreamManagerOptions {
  databasePath: string;
  /** How long a stream may wait for its client before it is closed and its transaction rolled back (sqld: 10 s). */
  streamIdleTimeoutMs: number;
  /** How long a transaction keeps the write lock once another writer waits for it (see WriteLock). */
  transactionTimeoutMs: number;
  /** How long a statement waits for a write lock held outside this server's transactions. */
  busyTimeoutMs: number;
  /** How many streams may be open at once; a new stream waits for one to close. */
  maxConcurrentConnections: number;
  /** How many requests may wait for a stream at once, counting the one that arrives (see StreamSlots). */
  maxConcurrentRequests: number;
  /** How long a request waits for a stream before it is refused; undefined waits as long as it takes. */
  connectionCreationTimeoutMs: number | undefined;
}

/** A refusal sqld answers with HTTP 429 and `{"error": message}`. */
export class TooManyRequestsError extends Error {}

/**
 * sqld's throttle on new connections (`MakeThrottledConnection::create` in
 * libsql-server/src/connection/mod.rs), which a Hrana stream opened without a
 * baton goes through: every live stream holds one of
 * `--max-concurrent-connections` slots (a semaphore) until it is closed or
 * expires; a request for a new stream waits for a slot, first come first
 * served, for at most `--connection-creation-timeout-sec` (no limit by
 * default). Waiting requests are counted, the arriving one included, and when
 * the count reaches `--max-concurrent-requests` the arriving request is
 * refused at once. Requests that carry a baton reuse their stream's slot and
 * are never counted.
 */
class StreamSlots {
  #free: number;
  #waiting = 0;
  readonly #queue: { grant: () => void; refuse: (error: Error) => void }[] = [];

  constructor(
    capacity: number,
    readonly maxWaiting: number,
    readonly timeoutMs: number | undefined,
  ) {
    this.#free = capacity;
  }

  async acquire(): Promise<void> {
    this.#waiting++;
    try {
      if (this.#waiting >= this.maxWaiting) throw new TooManyRequestsError("Too many concurrent requests");
      if (this.#free > 0) {
        this.#free--;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const timer =
          this.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                this.#queue.splice(this.#queue.indexOf(entry), 1);
                reject(new TooManyRequestsError("Timed out while opening database connection"));
              }, this.timeoutMs);
        const entry = {
          grant: () => {
            clearTimeout(timer);
            resolve();
          },
          refuse: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        this.#queue.push(entry);
      });
    } finally {
      this.#waiting--;
    }
  }

  /** Gives the slot to the longest-waiting request, or back to the pool. */
  release(): void {
    const next = this.#queue.shift();
    if (next) next.grant();
    else this.#free++;
  }

  refuseWaiting(error: Error): void {
    for (const waiter of this.#queue.splice(0)) waiter.refuse(error);
  }
}

/**
 * Hands out streams and the batons that name them between HTTP requests. A
 * baton is single-use: each response carries a new one, so a replayed or
 * concurrent request with an old baton is refused rather than run on a
 * connection another request is using.
 */
export class StreamManager {
  readonly #options: StreamManagerOptions;
  readonly #idleConnections: SqlConnection[] = [];
  readonly #parked = new Map<string, Stream>();
  readonly #expiredBatons = new Set<string>();
  readonly #active = new Set<Stream>();
  readonly #slots: StreamSlots;
  readonly #writeLock: WriteLock;

  constructor(options: StreamManagerOptions) {
    this.#options = options;
    this.#slots = new StreamSlots(
      options.maxConcurrentConnections,
      options.maxConcurrentRequests,
      options.connectionCreationTimeoutMs,
    );
    this.#writeLock = new WriteLock(options);
  }

  /** Opens a stream once a slot is free; may refuse with TooManyRequestsError, as sqld does. */
  async open(): Promise<Stream> {
    await this.#slots.acquire();
    const connection = this.#idleConnections.pop() ?? new SqlConnection(this.#options.databasePath, this.#writeLock);
    const stream = new Stream(connection);
    this.#active.add(stream);
    return stream;
  }

  /** Takes the stream a baton names, for the duration of one HTTP request. */
  take(baton: string): Stream {
    const stream = this.#parked.get(baton);
    if (stream === undefined) {
      if (this.#expiredBatons.has(baton)) {
        throw new HranaError("The stream has expired due to inactivity", "STREAM_EXPIRED");
      }
      throw new HranaError("The baton is invalid or was already used", "BATON_INVALID");
    }
    this.#parked.delete(baton);
    clearTimeout(stream.idleTimer);
    return stream;
  }

  /** Keeps the stream for its next request and returns the baton that names it. */
  park(stream: Stream): string {
    const baton = randomBytes(24).toString("base64url");
    this.#parked.set(baton, stream);
    stream.idleTimer = setTimeout(() => this.#expire(baton), this.#options.streamIdleTimeoutMs);
    stream.idleTimer.unref();
    return baton;
  }

  close(stream: Stream): void {
    this.#active.delete(stream);
    this.#slots.release();
    try {
      stream.connection.reset();
    } catch {
      stream.connection.close();
      return;
    }
    if (this.#idleConnections.length < MAX_IDLE_CONNECTIONS) {
      this.#idleConnections.push(stream.connection);
    } else {
      stream.connection.close();
    }
  }

  shutdown(): void {
    this.#slots.refuseWaiting(new HranaError("The server is shutting down", "SERVER_SHUTDOWN"));
    for (const stream of this.#parked.values()) clearTimeout(stream.idleTimer);
    for (const stream of this.#active) {
      try {
        stream.connection.reset();
      } finally {
        stream.connection.close();
      }
    }
    this.#active.clear();
    this.#parked.clear();
    for (const connection of this.#idleConnections.splice(0)) connection.close();
  }

  #expire(baton: string): void {
    const stream = this.#parked.get(baton);
    if (stream === undefined) return;
    this.#parked.delete(baton);
    this.#rememberExpired(baton);
    this.close(stream);
  }

  #rememberExpired(baton: string): void {
    if (this.#expiredBatons.size >= REMEMBERED_EXPIRED_BATONS) {
      const oldest = this.#expiredBatons.values().next().value;
      if (oldest !== undefined) this.#expiredBatons.delete(oldest);
    }
    this.#expiredBatons.add(baton);
  }
}
