import { setTimeout as sleep } from "node:timers/promises";
import Database from "libsql";
import {
  type Col,
  type DescribeResult,
  decodeValue,
  encodeValue,
  HranaError,
  type HranaStmt,
  type SqlValue,
  type StmtResult,
} from "./protocol.ts";
import { type SqlShape, scanSql } from "./sql-text.ts";

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

/** Turns whatever the engine threw into a protocol error that keeps SQLite's extended code. */
export function toHranaError(error: unknown): HranaError {
  if (error instanceof HranaError) return error;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
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
 * happens here, asynchronously, the way SQLite's busy timeout would.
 */
export class SqlConnection {
  readonly #path: string;
  readonly #busyTimeoutMs: number;
  #db: LibsqlDatabase;
  #counters: LibsqlStatement;

  constructor(path: string, busyTimeoutMs: number) {
    this.#path = path;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#db = openDatabase(path);
    this.#counters = this.#prepareCounters();
  }

  get isAutocommit(): boolean {
    return !this.#db.inTransaction;
  }

  async execute(stmt: HranaStmt, sql: string): Promise<StmtResult> {
    const shape = singleStatement(sql);
    const values = bindValues(shape, stmt);
    const prepared = await this.#whileBusy(() => this.#db.prepare(sql).safeIntegers(true));
    const cols: Col[] = prepared.columns().map((col) => ({ name: col.name, decltype: col.type }));
    if (prepared.reader) prepared.raw(true);
    // Retrying the same statement object matters: after SQLITE_BUSY the engine
    // leaves that statement active, and only running it again resets it.
    const rows = await this.#whileBusy(() => this.#step(prepared, values), { onGiveUp: () => this.#reopen() });
    const [totalAfter, changes, lastRowid] = this.#readCounters();
    return {
      cols,
      rows: stmt.want_rows ? rows.rows.map((row) => row.map(encodeValue)) : [],
      affected_row_count: totalAfter === rows.totalBefore ? 0 : Number(changes),
      last_insert_rowid: lastRowid === 0n ? null : lastRowid.toString(),
    };
  }

  /** Runs every statement of a script, each waiting for the write lock on its own, as SQLite's busy timeout would. */
  async sequence(sql: string): Promise<void> {
    for (const statement of scanSql(sql).statements) {
      await this.#whileBusy(() => this.#db.exec(statement));
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
  }

  close(): void {
    this.#db.close();
  }

  #step(prepared: LibsqlStatement, values: SqlValue[]): { rows: unknown[][]; totalBefore: bigint } {
    const [totalBefore] = this.#readCounters();
    if (prepared.reader) return { rows: prepared.all(values) as unknown[][], totalBefore };
    prepared.run(values);
    return { rows: [], totalBefore };
  }

  async #whileBusy<T>(operation: () => T, options: { onGiveUp?: () => void } = {}): Promise<T> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    let delay = 1;
    for (;;) {
      try {
        return operation();
      } catch (error) {
        const failure = toHranaError(error);
        // SQLITE_BUSY_SNAPSHOT (a stale read snapshot) cannot succeed by waiting; plain SQLITE_BUSY can.
        if (failure.code !== "SQLITE_BUSY" || Date.now() >= deadline) {
          if (failure.code.startsWith("SQLITE_BUSY") || failure.code.startsWith("SQLITE_LOCKED")) options.onGiveUp?.();
          throw failure;
        }
      }
      await sleep(delay);
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

const NAME_PREFIXES = [":", "@", "$"];

/**
 * Positional arguments bind to indexes 1..n and named arguments to the
 * parameter of that name (with or without its prefix), as sqld does. The
 * result is always a positional array of exactly the statement's parameter
 * count, the one binding form the engine handles without surprises.
 */
function bindValues(shape: SqlShape, stmt: HranaStmt): SqlValue[] {
  const count = shape.params.length;
  if (stmt.args.length > count) {
    throw new HranaError(
      `statement takes ${count} parameter(s) but ${stmt.args.length} positional argument(s) were given`,
      "ARGS_INVALID",
    );
  }
  const values: SqlValue[] = Array.from({ length: count }, (_, i) => {
    const arg = stmt.args[i];
    return arg === undefined ? null : decodeValue(arg);
  });
  for (const { name, value } of stmt.named_args) {
    const candidates = NAME_PREFIXES.includes(name[0] ?? "") ? [name] : NAME_PREFIXES.map((prefix) => prefix + name);
    const index = shape.params.findIndex((param) => param !== null && candidates.includes(param));
    if (index === -1) throw new HranaError(`statement has no parameter named ${name}`, "ARGS_INVALID");
    values[index] = decodeValue(value);
  }
  return values;
}
