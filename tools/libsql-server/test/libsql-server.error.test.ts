import { describe, expect } from "vitest";
import { stmt, test } from "./libsql-fixtures.ts";

describe("libSQL server errors", () => {
  test("constraint violations come back as sqld sends them: the primary code SQLITE_CONSTRAINT, no extended code, and the server keeps serving", async ({
    client,
    pipeline,
  }) => {
    await client.execute(
      "CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, n INTEGER CHECK (n > 0))",
    );
    await client.execute("INSERT INTO u (id, email) VALUES (1, 'a@example.com')");
    const violations: [string, string][] = [
      ["INSERT INTO u (email) VALUES ('a@example.com')", "UNIQUE constraint failed: u.email"],
      ["INSERT INTO u (id, email) VALUES (1, 'b@example.com')", "UNIQUE constraint failed: u.id"],
      ["INSERT INTO u (email) VALUES (NULL)", "NOT NULL constraint failed: u.email"],
      ["INSERT INTO u (email, n) VALUES ('c@example.com', 0)", "CHECK constraint failed: n > 0"],
    ];
    for (const [sql, sqliteMessage] of violations) {
      // What @libsql/client makes of it: the code, and no extendedCode (sqld's protocol has no field for one).
      await expect(client.execute(sql)).rejects.toMatchObject({
        code: "SQLITE_CONSTRAINT",
        extendedCode: undefined,
        message: `SQLITE_CONSTRAINT: SQLite error: ${sqliteMessage}`,
      });
      // What travels: exactly sqld's error object, `message` and `code` and nothing else.
      const { json } = await pipeline({ requests: [{ type: "execute", stmt: stmt(sql) }, { type: "close" }] });
      expect(json.results[0]?.error).toEqual({ message: `SQLite error: ${sqliteMessage}`, code: "SQLITE_CONSTRAINT" });
    }
    // sqld would say SQL_PARSE_ERROR here; this server keeps SQLite's own primary code (see the README).
    await expect(client.execute("SELEC 1")).rejects.toMatchObject({ code: "SQLITE_ERROR" });
    expect((await client.execute("SELECT count(*) AS n FROM u")).rows[0]?.n).toBe(1);
  });

  test("arguments that do not fit the parameters are refused as sqld refuses them", async ({ pipeline }) => {
    const nul = { type: "null" };
    const named = (...names: string[]) => names.map((name) => ({ name, value: nul }));
    const { status, json } = await pipeline({
      requests: [
        { type: "execute", stmt: { sql: "SELECT ?", args: [nul], named_args: named("a") } },
        { type: "execute", stmt: { sql: "SELECT :a, :b", named_args: named("a") } },
        { type: "execute", stmt: { sql: "SELECT ?, ?", args: [nul] } },
        { type: "execute", stmt: { sql: "SELECT ?2", args: [nul, nul] } },
        { type: "execute", stmt: { sql: "SELECT ?2", args: [nul] } },
        { type: "execute", stmt: { sql: "SELECT :a", named_args: named(":a", "a") } },
        { type: "execute", stmt: { sql: "SELECT :a", named_args: named("@a") } },
        { type: "execute", stmt: { sql: "SELECT ?", named_args: named("a") } },
        { type: "execute", stmt: { sql: "EXPLAIN SELECT :a, ?" } },
        // The statement is prepared before its arguments are looked at.
        { type: "execute", stmt: { sql: "SELEC ?", args: [nul, nul] } },
        { type: "close" },
      ],
    });
    expect(status).toBe(200);
    expect(json.results.map((r) => r.error ?? r.type)).toEqual([
      {
        code: "ARGS_BOTH_POSITIONAL_AND_NAMED",
        message: "Specifying both positional and named arguments is not supported",
      },
      { code: "ARGS_INVALID", message: "Arguments do not match SQL parameters: value for parameter :b not found" },
      { code: "ARGS_INVALID", message: "Arguments do not match SQL parameters: value for parameter 2 not found" },
      "ok",
      { code: "ARGS_INVALID", message: "Arguments do not match SQL parameters: value for parameter ?2 not found" },
      {
        code: "ARGS_INVALID",
        message: "Arguments do not match SQL parameters: too many parameters, expected 1 found 2",
      },
      { code: "ARGS_INVALID", message: "Arguments do not match SQL parameters: value for parameter :a not found" },
      { code: "ARGS_INVALID", message: "Arguments do not match SQL parameters: value for parameter 1 not found" },
      "ok",
      { code: "SQLITE_ERROR", message: 'SQLite error: near "SELEC": syntax error' },
      "ok",
    ]);
  });

  test("a baton cannot be used twice", async ({ pipeline }) => {
    const first = await pipeline({ requests: [{ type: "execute", stmt: stmt("SELECT 1") }] });
    const baton = first.json.baton;
    expect((await pipeline({ baton, requests: [{ type: "get_autocommit" }] })).status).toBe(200);
    const replay = await pipeline({ baton, requests: [{ type: "get_autocommit" }] });
    expect(replay.status).toBe(400);
    expect(replay.json.code).toBe("BATON_INVALID");
  });

  test("malformed requests get 400 with a message", async ({ pipeline }) => {
    const cases: unknown[] = [
      "{not json",
      {},
      { requests: "nope" },
      { requests: [{ type: "teleport" }] },
      { requests: [{ type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: 1.5 }] } }] },
      {
        requests: [
          { type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: "99999999999999999999" }] } },
        ],
      },
      { requests: [{ type: "execute", stmt: { sql: "SELECT 1", sql_id: 1 } }] },
      { requests: [{ type: "execute", stmt: { args: [] } }] },
    ];
    for (const body of cases) {
      const { status, json } = await pipeline(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.message).toEqual(expect.any(String));
    }
  });

  test("statement-level mistakes are errors in the result, not HTTP failures", async ({ pipeline }) => {
    const { status, json } = await pipeline({
      requests: [
        { type: "execute", stmt: stmt("") },
        { type: "execute", stmt: stmt("SELECT 1; SELECT 2") },
        { type: "execute", stmt: stmt("SELECT ?", [{ type: "null" }, { type: "null" }]) },
        { type: "execute", stmt: { sql: "SELECT :a", named_args: [{ name: "b", value: { type: "null" } }] } },
        {
          type: "batch",
          batch: { steps: [{ condition: { type: "ok", step: 0 }, stmt: stmt("SELECT 1") }] },
        },
        { type: "execute", stmt: stmt("SELECT 'still alive'") },
        { type: "close" },
      ],
    });
    expect(status).toBe(200);
    expect(json.results.map((r) => r.error?.code ?? r.type)).toEqual([
      "SQL_NO_STATEMENT",
      "SQL_MANY_STATEMENTS",
      "ARGS_INVALID",
      "ARGS_INVALID",
      "BATCH_COND_INVALID",
      "ok",
      "ok",
    ]);
  });

  test("requests after close in the same pipeline are refused", async ({ pipeline }) => {
    const { json } = await pipeline({ requests: [{ type: "close" }, { type: "execute", stmt: stmt("SELECT 1") }] });
    expect(json.results[1]?.error?.code).toBe("STREAM_CLOSED");
    expect(json.baton).toBeNull();
  });

  test("unknown paths are 404 and wrong methods 405", async ({ server }) => {
    expect((await fetch(`${server.url}/v4/pipeline`, { method: "POST", body: "{}" })).status).toBe(404);
    const wrongMethod = await fetch(`${server.url}/v3/pipeline`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });

  test("an oversized body is refused with 413", async ({ pipeline }) => {
    const { status } = await pipeline({
      requests: [{ type: "execute", stmt: stmt(`SELECT '${"x".repeat(20 * 1024 * 1024)}'`) }],
    });
    expect(status).toBe(413);
  });
});

describe("libSQL server stream expiry", () => {
  test.override({ serverOptions: { streamIdleTimeoutMs: 200 } });

  test("an expired baton is refused and its open transaction is rolled back", async ({ client }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const transaction = await client.transaction("write");
    await transaction.execute("INSERT INTO t VALUES ('never committed')");
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(transaction.execute("SELECT 1")).rejects.toMatchObject({ code: "STREAM_EXPIRED" });
    // The rollback released the write lock: another writer gets it at once.
    await client.execute("INSERT INTO t VALUES ('next')");
    expect((await client.execute("SELECT v FROM t")).rows.map((r) => r.v)).toEqual(["next"]);
  });
});
