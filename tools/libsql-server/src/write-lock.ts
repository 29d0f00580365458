/**
 * How long sqld lets one transaction keep the write lock once another
 * connection waits for it: `TXN_TIMEOUT` in libsql-server/src/connection/mod.rs
 * (5 s; a database's `txn_timeout_s` config overrides it).
 */
export const SQLD_TRANSACTION_TIMEOUT_MS = 5_000;

/**
 * SQLite's busy timeout on each of sqld's connections:
 * `conn.busy_timeout(Duration::from_millis(100))` in `Connection::open`,
 * libsql-sys/src/connection.rs (the rusqlite build, which sqld uses). It only
 * matters when the lock is held outside sqld's write queue.
 */
export const SQLD_BUSY_TIMEOUT_MS = 100;

/** A connection that can be made to give up the write lock. */
export interface WriteLockHolder {
  forceRollback(): void;
}

export interface WriteLockOptions {
  transactionTimeoutMs: number;
  busyTimeoutMs: number;
}

/**
 * Who holds the database's write lock, and since when, so that a writer that
 * finds the lock taken waits as sqld's connection manager makes it wait
 * (`ManagedConnectionWalWrapper::acquire` in
 * libsql-server/src/connection/connection_manager.rs): as long as the holder's
 * transaction is younger than the transaction timeout; past it, the waiter
 * rolls the holder back and takes the lock. The holder's next request then
 * fails with TRANSACTION_TIMEOUT. Nobody is rolled back while nobody waits.
 *
 * A lock this server cannot attribute to one of its transactions (another
 * process on the same file) is waited for as SQLite's busy timeout would,
 * then the statement fails with SQLITE_BUSY.
 */
export class WriteLock {
  readonly #options: WriteLockOptions;
  #holder: { connection: WriteLockHolder; since: number } | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(options: WriteLockOptions) {
    this.#options = options;
  }

  /** Records that `connection` holds the write lock in its open transaction. */
  claim(connection: WriteLockHolder): void {
    if (this.#holder?.connection !== connection) this.#holder = { connection, since: Date.now() };
  }

  /** Called whenever `connection` may have let the lock go (a transaction ended, a statement ran on its own). */
  release(connection: WriteLockHolder): void {
    if (this.#holder?.connection === connection) this.#holder = undefined;
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiting) wake();
  }

  /**
   * Resolves at the next `release`: a waiting writer tries again as soon as the lock may be free, as sqld's write
   * queue hands it over, instead of at its next poll (a poll alone leaves the lock idle while writers sleep).
   */
  nextRelease(): Promise<void> {
    return new Promise((resolve) => this.#waiters.add(resolve));
  }

  /**
   * Called each time `waiter`'s statement finds the lock taken: whether it
   * should try again. Past the holder's transaction timeout, the holder is
   * rolled back first, so the next try gets the lock.
   */
  keepWaiting(waiter: WriteLockHolder, waitingSince: number): boolean {
    const holder = this.#holder;
    if (holder === undefined || holder.connection === waiter) {
      return Date.now() < waitingSince + this.#options.busyTimeoutMs;
    }
    if (Date.now() >= holder.since + this.#options.transactionTimeoutMs) {
      this.#holder = undefined;
      holder.connection.forceRollback();
    }
    return true;
  }
}
