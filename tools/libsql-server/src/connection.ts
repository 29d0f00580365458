import { setTimeout as sleep } from "node:timers/promises";
import Database from "libsql";
import {
  type Col,
  type DescribeResult,
  decodeValue,
  encodeValue,
  HranaError,
  type HranaStmt,
  type HranaValue,
  type SqlValue,
  type StmtResult,
} from "./protocol.ts";
import { type SqlShape, scanSql } from "./sql-text.ts";
import type { WriteLock, WriteLockHolder } from "./write-lock.ts";

type LibsqlDatabase = InstanceType<typeof Database>;
type LibsqlStatement = ReturnType<LibsqlDatabase["prepare"]>;

interface ExplainRow {
  opcode: string;
  p2: number;
}

const WRITE_OPCODES = new Set(["OpenWrite", "VUpdate", "VCreate", "VDestroy"]);
const READ_ONLY_KEYWORDS = new Set([
  "SELECT",
  "VALUES",
  "EXPLAIN",
  "BEGIN",
  "COMMIT",
  "END",
  "ROLLBACK",
  "SAVEPOINT",
  "RELEASE",
]);

/**
 * The codes sqld sends for SQLite failures, by primary result code. sqld
 * reports only the primary code, from the table in `sqlite_error_code` of
 * libsql-server/src/hrana/stmt.rs (fed by `ffi::Error::new`, which masks the
 * extended code with 0xff, in libsql-ffi/src/lib.rs); its Hrana error object
 * (`proto::Error` in libsql-hrana/src/proto.rs) has only `message` and `code`,
 * so the extended code (e.g. SQLITE_CONSTRAINT_UNIQUE) is not sent at all, and
 * `@libsql/client` leaves `extendedCode` undefined for remote databases.
 * Primary codes outside that table are SQLITE_UNKNOWN there.
 */
const SQLD_PRIMARY_CODES = new Map<number, string>([
  // SQLITE_ERROR: sqld answers SQL_PARSE_ERROR, SQL_INPUT_ERROR or SQLITE_UNKNOWN depending on
  // which of its layers failed, which this server cannot tell apart; it keeps SQLite's own name.
  [1, "SQLITE_ERROR"],
  [2, "SQLITE_INTERNAL"],
  [3, "SQLITE_PERM"],
  [4, "SQLITE_ABORT"],
  [5, "SQLITE_BUSY"],
  [6, "SQLITE_LOCKED"],
  [7, "SQLITE_NOMEM"],
  [8, "SQLITE_READONLY"],
  [9, "SQLITE_INTERRUPT"],
  [10, "SQLITE_IOERR"],
  [11, "SQLITE_CORRUPT"],
  [12, "SQLITE_NOTFOUND"],
  [13, "SQLITE_FULL"],
  [14, "SQLITE_CANTOPEN"],
  [15, "SQLITE_PROTOCOL"],
  [17, "SQLITE_SCHEMA"],
  [18, "SQLITE_TOOBIG"],
  [19, "SQLITE_CONSTRAINT"],
  [20, "SQLITE_MISMATCH"],
  [21, "SQLITE_MISUSE"],
  [22, "SQLITE_NOLFS"],
  [23, "SQLITE_AUTH"],
  [25, "SQLITE_RANGE"],
  [26, "SQLITE_NOTADB"],
]);

/**
 * Turns whatever the engine threw into a protocol error as sqld reports it:
 * the primary code and "SQLite error: <message>" (StmtError::SqliteError in
 * libsql-server/src/hrana/stmt.rs). The extended code is kept on the error for
 * this server's own decisions (waiting on SQLITE_BUSY but not on
 * SQLITE_BUSY_SNAPSHOT), never sent.
 */
export function toHranaError(error: unknown): HranaError {
  if (error instanceof HranaError) return error;
  if (error instanceof Error) {
    const { code, rawCode } = error as { code?: unknown; rawCode?: unknown };
    if (typeof rawCode === "number") {
      const primary = SQLD_PRIMARY_CODES.get(rawCode & 0xff) ?? "SQLITE_UNKNOWN";
      const extended = typeof code === "string" ? code : primary;
      return new HranaError(`SQLite error: ${error.message}`, primary, extended);
    }
    return new HranaError(error.message, typeof code === "string" ? code : "INTERNAL");
  }
  return new HranaError(String(error), "INTERNAL");
}

function openDatabase(path: string): LibsqlDatabase {
  // timeout 0: a held lock must come back as SQLITE_BUSY at once, because
  // waiting inside the synchronous engine would block the event loop, and with
  // it the very connection that holds the lock.
  return new Database(path, { timeout: 0 });
}

/**
 * One libSQL connection. Engine calls are synchronous, so statements on one
 * connection never interleave; waiting for a lock another connection holds
 * happens here, asynchronously, as sqld's write queue would make it wait
 * (see WriteLock).
 */
export class SqlConnection implements WriteLockHolder {
  readonly #path: string;
  readonly #writeLock: WriteLock;
  #db: LibsqlDatabase;
  #counters: LibsqlStatement;
  #transactionTimedOut = false;

  constructor(path: string, writeLock: WriteLock) {
    this.#path = path;
    this.#writeLock = writeLock;
    this.#db = openDatabase(path);
    this.#counters = this.#prepareCounters();
  }

  get isAutocommit(): boolean {
    return !this.#db.inTransaction;
  }

  /**
   * The error sqld answers once, for the next program run on a connection
   * whose transaction another writer rolled back (the `forced_rollback` flag
   * in `CoreConnection::run`, libsql-server/src/connection/connection_core.rs);
   * undefined when there is none.
   */
  takeTransactionTimeout(): HranaError | undefined {
    if (!this.#transactionTimedOut) return undefined;
    this.#transactionTimedOut = false;
    return new HranaError("Transaction timed out", "TRANSACTION_TIMEOUT");
  }

  /** Rolls back the open transaction because a waiting writer takes the lock (sqld's `force_rollback`). */
  forceRollback(): void {
    try {
      this.reset();
    } catch {
      this.#reopen();
    }
    this.#transactionTimedOut = true;
  }

  async execute(stmt: HranaStmt, sql: string): Promise<StmtResult> {
    const timedOut = this.takeTransactionTimeout();
    if (timedOut) throw timedOut;
    const shape = singleStatement(sql);
    checkArgsForm(stmt);
    // As in sqld, the statement is prepared before its arguments are matched to its parameters.
    const prepared = await this.#whileBusy(() => this.#db.prepare(sql).safeIntegers(true));
    const values = bindValues(shape, stmt);
    const cols: Col[] = prepared.columns().map((col) => ({ name: col.name, decltype: col.type }));
    if (prepared.reader) prepared.raw(true);
    // Retrying the same statement object matters: after SQLITE_BUSY the engine
    // leaves that statement active, and only running it again resets it.
    const rows = await this.#tracked(
      () => this.#whileBusy(() => this.#step(prepared, values), { onGiveUp: () => this.#reopen() }),
      takesWriteLock(sql, shape),
    );
    const [totalAfter, changes, lastRowid] = this.#readCounters();
    return {
      cols,
      rows: stmt.want_rows ? rows.rows.map((row) => row.map(encodeValue)) : [],
      affected_row_count: totalAfter === rows.totalBefore ? 0 : Number(changes),
      // sqld reports sqlite3_last_insert_rowid() for every INSERT, even one that inserted nothing
      // (then it is the connection's previous value, 0 on a fresh connection), and null for any
      // other statement: `execute_query` in libsql-server/src/connection/program.rs.
      last_insert_rowid: shape.isInsert ? lastRowid.toString() : null,
    };
  }

  /** Runs every statement of a script, each waiting for the write lock on its own, as SQLite's busy timeout would. */
  async sequence(sql: string): Promise<void> {
    const timedOut = this.takeTransactionTimeout();
    if (timedOut) throw timedOut;
    for (const statement of scanSql(sql).statements) {
      const writes = takesWriteLock(statement, scanSql(statement));
      await this.#tracked(() => this.#whileBusy(() => this.#db.exec(statement)), writes);
    }
  }

  async describe(sql: string): Promise<DescribeResult> {
    const shape = singleStatement(sql);
    const prepared = await this.#whileBusy(() => this.#db.prepare(sql));
    const isExplain = shape.firstKeyword === "EXPLAIN";
    return {
      params: shape.params.map((name) => ({ name })),
      cols: prepared.columns().map((col) => ({ name: col.name, decltype: col.type })),
      is_explain: isExplain,
      is_readonly: isExplain || this.#isReadonly(sql, shape),
    };
  }

  /** Ends any transaction left open, so the connection can serve another stream. */
  reset(): void {
    if (!this.isAutocommit) this.#db.exec("ROLLBACK");
    this.#writeLock.release(this);
  }

  close(): void {
    this.#writeLock.release(this);
    this.#db.close();
  }

  /**
   * Runs a statement and records whether the connection now holds the write
   * lock: in an open transaction after a statement that writes (even one that
   * failed, unless it failed for want of the lock), it does until the
   * transaction ends.
   */
  async #tracked<T>(run: () => Promise<T>, writes: boolean): Promise<T> {
    let gotTheLock = writes;
    try {
      return await run();
    } catch (error) {
      if (toHranaError(error).code === "SQLITE_BUSY") gotTheLock = false;
      throw error;
    } finally {
      if (this.isAutocommit) this.#writeLock.release(this);
      else if (gotTheLock) this.#writeLock.claim(this);
    }
  }

  #step(prepared: LibsqlStatement, values: SqlValue[]): { rows: unknown[][]; totalBefore: bigint } {
    const [totalBefore] = this.#readCounters();
    if (prepared.reader) return { rows: prepared.all(values) as unknown[][], totalBefore };
    prepared.run(values);
    return { rows: [], totalBefore };
  }

  async #whileBusy<T>(operation: () => T, options: { onGiveUp?: () => void } = {}): Promise<T> {
    const waitingSince = Date.now();
    let delay = 1;
    for (;;) {
      try {
        return operation();
      } catch (error) {
        const failure = toHranaError(error);
        // SQLITE_BUSY_SNAPSHOT (a stale read snapshot) cannot succeed by waiting; plain SQLITE_BUSY can.
        if (failure.extendedCode !== "SQLITE_BUSY" || !this.#writeLock.keepWaiting(this, waitingSince)) {
          if (failure.code === "SQLITE_BUSY" || failure.code === "SQLITE_LOCKED") options.onGiveUp?.();
          throw failure;
        }
      }
      // The lock's release, or the poll for a lock held outside this server (which no release announces).
      await Promise.race([sleep(delay), this.#writeLock.nextRelease()]);
      delay = Math.min(delay * 2, 50);
    }
  }

  /**
   * A statement abandoned after SQLITE_BUSY stays active in the engine, and
   * while it does, no later implicit transaction on this connection commits.
   * Closing the connection is the only way to drop it; an open transaction is
   * lost with it, exactly as if it had been rolled back.
   */
  #reopen(): void {
    this.#writeLock.release(this);
    this.#db.close();
    this.#db = openDatabase(this.#path);
    this.#counters = this.#prepareCounters();
  }

  #prepareCounters(): LibsqlStatement {
    return this.#db.prepare("SELECT total_changes(), changes(), last_insert_rowid()").raw(true).safeIntegers(true);
  }

  #readCounters(): [bigint, bigint, bigint] {
    return this.#counters.all([])[0] as [bigint, bigint, bigint];
  }

  /**
   * Mirrors sqlite3_stmt_readonly: read-only when the statement's program
   * opens no table for writing and starts no write transaction. The EXPLAIN
   * runs on a throwaway connection because the engine leaves an EXPLAIN of a
   * write statement active, which would block this connection's COMMIT. When
   * that connection cannot see the schema (objects created in this stream's
   * open transaction), the leading keyword decides.
   */
  #isReadonly(sql: string, shape: SqlShape): boolean {
    const probe = openDatabase(this.#path);
    try {
      const program = probe.prepare(`EXPLAIN ${sql}`).all([]) as ExplainRow[];
      return !program.some(
        (row) => WRITE_OPCODES.has(row.opcode) || (row.opcode === "Transaction" && Number(row.p2) !== 0),
      );
    } catch {
      return READ_ONLY_KEYWORDS.has(shape.firstKeyword ?? "") && !/\bRETURNING\b/i.test(sql);
    } finally {
      probe.close();
    }
  }
}

/**
 * Whether a statement, run inside a transaction, leaves its connection
 * holding the write lock until the transaction ends: BEGIN IMMEDIATE or
 * EXCLUSIVE, and every statement that may write.
 */
function takesWriteLock(sql: string, shape: SqlShape): boolean {
  switch (shape.firstKeyword) {
    case "BEGIN":
      return /\b(IMMEDIATE|EXCLUSIVE)\b/i.test(sql);
    case "WITH":
      return /\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);
    case "PRAGMA":
      return sql.includes("=");
    case undefined:
      return false;
    default:
      return !READ_ONLY_KEYWORDS.has(shape.firstKeyword);
  }
}

function singleStatement(sql: string): SqlShape {
  const shape = scanSql(sql);
  if (shape.statementCount === 0) {
    throw new HranaError("SQL string does not contain any statement", "SQL_NO_STATEMENT");
  }
  if (shape.statementCount > 1) {
    throw new HranaError("SQL string contains more than one statement", "SQL_MANY_STATEMENTS");
  }
  return shape;
}

/**
 * sqld takes either positional or named arguments, never both
 * (`proto_stmt_to_query` in libsql-server/src/hrana/stmt.rs); it checks this
 * before it prepares the statement.
 */
function checkArgsForm(stmt: HranaStmt): void {
  if (stmt.args.length > 0 && stmt.named_args.length > 0) {
    throw new HranaError(
      "Specifying both positional and named arguments is not supported",
      "ARGS_BOTH_POSITIONAL_AND_NAMED",
    );
  }
}

function argsInvalid(reason: string): HranaError {
  return new HranaError(`Arguments do not match SQL parameters: ${reason}`, "ARGS_INVALID");
}

/**
 * Matches arguments to parameters exactly as sqld's `Params::bind`
 * (libsql-server/src/query.rs) does:
 * - named arguments are a map (a repeated name keeps its last value), and there
 *   may be no more arguments, positional or named, than the statement has
 *   parameter slots (sqlite3_bind_parameter_count);
 * - each slot is then looked up: `?NNN` by position NNN, an anonymous `?` (or
 *   an unnamed slot) by its index, and a named one (`:name`, `@name`,
 *   `$name`) by its full name, else by the name without its prefix; so the
 *   argument `name` fills `:name` and `$name` alike, and `@name` fills only
 *   `@name`. Positions never match named arguments, nor names positional ones;
 * - a slot left without a value is an error, except in an EXPLAIN, where it
 *   and the slots after it stay NULL.
 * The result is always a positional array of exactly the statement's parameter
 * count, the one binding form the engine handles without surprises.
 */
function bindValues(shape: SqlShape, stmt: HranaStmt): SqlValue[] {
  const count = shape.params.length;
  const named = new Map(stmt.named_args.map(({ name, value }) => [name, value]));
  const given = stmt.named_args.length > 0 ? named.size : stmt.args.length;
  if (given > count) throw argsInvalid(`too many parameters, expected ${count} found ${given}`);
  const positional = (position: number) => (stmt.named_args.length > 0 ? undefined : stmt.args[position - 1]);

  const values: SqlValue[] = Array.from({ length: count }, () => null);
  for (let index = 1; index <= count; index++) {
    const name = shape.params[index - 1] ?? null;
    let value: HranaValue | undefined;
    if (name === null) value = positional(index);
    else if (name.startsWith("?")) value = positional(Number(name.slice(1)));
    else value = named.get(name) ?? named.get(name.slice(1));
    if (value === undefined) {
      if (shape.firstKeyword === "EXPLAIN") break;
      throw argsInvalid(`value for parameter ${name ?? index} not found`);
    }
    values[index - 1] = decodeValue(value);
  }
  return values;
}
