/**
 * A small lexical scan of SQL text, enough to answer what SQLite's C API would
 * (statement count, parameter names and indexes) without preparing anything:
 * the `libsql` binding does not expose `sqlite3_bind_parameter_name`, silently
 * ignores text after the first statement, and aborts the process on some
 * binding mistakes, so the server checks these itself before calling it.
 */

export interface SqlShape {
  /** Non-empty statements in the text. */
  statementCount: number;
  /** The text of each non-empty statement, with its terminating semicolon. */
  statements: string[];
  /** Parameter names by index (0-based here, 1-based in SQLite); `null` for an anonymous `?`. */
  params: (string | null)[];
  /** The first keyword of the first statement, upper-cased (e.g. SELECT, INSERT, EXPLAIN). */
  firstKeyword: string | undefined;
  /**
   * Whether the first statement is an INSERT (or REPLACE), also after a WITH
   * clause: what sqld's parser calls `Stmt::Insert`. An EXPLAIN of one is not.
   */
  isInsert: boolean;
}

type Token = { end: number } & (
  | { kind: "word"; upper: string }
  | { kind: "param"; text: string }
  | { kind: "semicolon" }
  | { kind: "paren"; depth: 1 | -1 }
  | { kind: "other" }
);

const SQLITE_MAX_VARIABLE_NUMBER = 32766;
const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const PARAM_NAME_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

function* tokens(sql: string): Generator<Token> {
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      i = skipQuoted(sql, i, ch);
      yield { kind: "other", end: i };
    } else if (ch === "[") {
      const end = sql.indexOf("]", i);
      i = end === -1 ? n : end + 1;
      yield { kind: "other", end: i };
    } else if (ch === ";") {
      i++;
      yield { kind: "semicolon", end: i };
    } else if (ch === "(" || ch === ")") {
      i++;
      yield { kind: "paren", depth: ch === "(" ? 1 : -1, end: i };
    } else if (ch === "?") {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j] as string)) j++;
      yield { kind: "param", text: sql.slice(i, j), end: j };
      i = j;
    } else if ((ch === ":" || ch === "@" || ch === "$") && next !== undefined && PARAM_NAME_PART.test(next)) {
      let j = i + 1;
      while (j < n && PARAM_NAME_PART.test(sql[j] as string)) j++;
      yield { kind: "param", text: sql.slice(i, j), end: j };
      i = j;
    } else if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j] as string)) j++;
      yield { kind: "word", upper: sql.slice(i, j).toUpperCase(), end: j };
      i = j;
    } else {
      i++;
      yield { kind: "other", end: i };
    }
  }
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

const DML_KEYWORDS = new Set(["SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE"]);

function isCreateTrigger(words: string[]): boolean {
  if (words[0] !== "CREATE") return false;
  const second = words[1];
  return second === "TRIGGER" || ((second === "TEMP" || second === "TEMPORARY") && words[2] === "TRIGGER");
}

export function scanSql(sql: string): SqlShape {
  const statements: string[] = [];
  let statementStart = 0;
  let statementCount = 0;
  let firstKeyword: string | undefined;
  let leadingWords: string[] = [];
  let tokensInStatement = 0;
  let previous: Token | undefined;
  // The statement a leading WITH clause belongs to: the first DML keyword outside the CTEs' parentheses.
  let mainKeyword: string | undefined;
  let depth = 0;

  const params: (string | null)[] = [];
  const namedIndex = new Map<string, number>();

  const endStatement = (end: number) => {
    if (tokensInStatement > 0) {
      statementCount++;
      statements.push(sql.slice(statementStart, end));
    }
    statementStart = end;
    tokensInStatement = 0;
    leadingWords = [];
  };

  for (const token of tokens(sql)) {
    if (token.kind === "semicolon") {
      // Inside a trigger body, statements end with ';' too; only "END ;" closes the CREATE TRIGGER.
      const inTrigger = isCreateTrigger(leadingWords);
      const closesTrigger = previous?.kind === "word" && previous.upper === "END";
      if (!inTrigger || closesTrigger) endStatement(token.end);
      previous = token;
      continue;
    }
    if (statementCount === 0 && tokensInStatement === 0 && token.kind === "word") {
      firstKeyword = token.upper;
      if (firstKeyword !== "WITH") mainKeyword = firstKeyword;
    }
    if (token.kind === "paren") depth += token.depth;
    if (
      statementCount === 0 &&
      firstKeyword === "WITH" &&
      mainKeyword === undefined &&
      depth === 0 &&
      token.kind === "word" &&
      DML_KEYWORDS.has(token.upper)
    ) {
      mainKeyword = token.upper;
    }
    tokensInStatement++;
    if (token.kind === "word" && leadingWords.length < 3) leadingWords.push(token.upper);
    if (token.kind === "param") addParam(token.text, params, namedIndex);
    previous = token;
  }
  endStatement(sql.length);
  const isInsert = mainKeyword === "INSERT" || mainKeyword === "REPLACE";
  return { statementCount, statements, params, firstKeyword, isInsert };
}

function addParam(text: string, params: (string | null)[], namedIndex: Map<string, number>): void {
  if (text === "?") {
    params.push(null);
    return;
  }
  if (text.startsWith("?")) {
    const index = Number(text.slice(1));
    // Out-of-range indexes are left for SQLite to reject when it prepares the statement.
    if (index < 1 || index > SQLITE_MAX_VARIABLE_NUMBER) return;
    while (params.length < index) params.push(null);
    // Like sqlite3_bind_parameter_name: a slot that already has a name (":a" in "SELECT :a, ?1") keeps it.
    params[index - 1] ??= text;
    return;
  }
  if (namedIndex.has(text)) return;
  params.push(text);
  namedIndex.set(text, params.length - 1);
}
