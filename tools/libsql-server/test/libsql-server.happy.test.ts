import { createClient } from "@libsql/client";
import { describe, expect } from "vitest";
import { integer, stmt, test, text } from "./libsql-fixtures.ts";

describe("libSQL server with @libsql/client", () => {
  test("executes with positional and named arguments of every prefix", async ({ client }) => {
    const positional = await client.execute({ sql: "SELECT ? AS a, ?2 AS b", args: ["x", 2] });
    expect(positional.rows[0]).toMatchObject({ a: "x", b: 2 });

    const named = await client.execute({
      sql: "SELECT :colon AS c, @at AS a, $dollar AS d, :colon AS again",
      args: { colon: "c", at: "a", dollar: "d" },
    });
    expect(named.rows[0]).toMatchObject({ c: "c", a: "a", d: "d", again: "c" });
  });

  test("a named argument fills every parameter of its name, given bare or with the parameter's own prefix, as in sqld", async ({
    client,
    pipeline,
  }) => {
    // Bare `n` fills both :n and $n; sqld looks a parameter up by its full name, then without its prefix.
    const bare = await client.execute({ sql: "SELECT :n AS colon, $n AS dollar, @n AS at", args: { n: "x" } });
    expect(bare.rows[0]).toMatchObject({ colon: "x", dollar: "x", at: "x" });

    const { json } = await pipeline({
      requests: [
        {
          type: "execute",
          stmt: {
            sql: "SELECT :a, $a, @b",
            named_args: [
              { name: "a", value: text("bare") },
              { name: "$a", value: text("prefixed") },
              { name: "@b", value: text("at") },
            ],
          },
        },
        // ?1 names no new slot: it is the slot of :a, which the argument `a` fills.
        { type: "execute", stmt: { sql: "SELECT :a, ?1", named_args: [{ name: "a", value: integer(5) }] } },
        { type: "describe", sql: "SELECT :a, ?1, ?3" },
        { type: "close" },
      ],
    });
    const rows = json.results.slice(0, 2).map((r) => r.response?.result?.rows);
    expect(rows).toEqual([[[text("bare"), text("prefixed"), text("at")]], [[integer(5), integer(5)]]]);
    expect(json.results[2]?.response?.result?.params).toEqual([{ name: ":a" }, { name: null }, { name: "?3" }]);
  });

  test("round-trips every value type, including 64-bit integers and blobs", async ({ client }) => {
    await client.execute("CREATE TABLE v (i INTEGER, f REAL, t TEXT, b BLOB, n)");
    const blob = new Uint8Array([0, 1, 254, 255]);
    const big = 2n ** 62n + 7n;
    await client.execute({ sql: "INSERT INTO v VALUES (?, ?, ?, ?, ?)", args: [big, 1.25, "héllo ✓", blob, null] });

    const selected = await client.execute({
      sql: "SELECT typeof(i) ti, typeof(f) tf, typeof(b) tb, f, t, b, n FROM v",
    });
    const row = selected.rows[0];
    expect(row).toMatchObject({ ti: "integer", tf: "real", tb: "blob", f: 1.25, t: "héllo ✓", n: null });
    expect(new Uint8Array(row?.b as ArrayBuffer)).toEqual(blob);

    const exact = await client.execute({ sql: "SELECT CAST(i AS TEXT) AS text FROM v" });
    expect(exact.rows[0]?.text).toBe(big.toString());
  });

  test("reports column names, declared types, affected rows and the last rowid", async ({ client }) => {
    await client.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER)");
    const insert = await client.execute({
      sql: "INSERT INTO items (name, price) VALUES (?, ?), (?, ?)",
      args: ["a", 1, "b", 2],
    });
    expect(insert.rowsAffected).toBe(2);
    expect(insert.lastInsertRowid).toBe(2n);

    const update = await client.execute("UPDATE items SET price = price + 1");
    expect(update.rowsAffected).toBe(2);

    const select = await client.execute("SELECT id, name, price, price * 2 AS doubled FROM items ORDER BY id");
    expect(select.columns).toEqual(["id", "name", "price", "doubled"]);
    expect(select.columnTypes).toEqual(["INTEGER", "TEXT", "INTEGER", ""]);
    expect(select.rowsAffected).toBe(0);
    expect(select.rows.map((r) => r.price)).toEqual([2, 3]);
  });

  test("last_insert_rowid is reported for every INSERT, even one that inserts nothing, and for nothing else, as in sqld", async ({
    pipeline,
  }) => {
    const execute = (sql: string) => ({ type: "execute", stmt: stmt(sql) });
    const { json } = await pipeline({
      requests: [
        execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"),
        // A fresh connection has inserted nothing yet: sqlite3_last_insert_rowid() is 0.
        execute("INSERT INTO t (v) SELECT 'x' WHERE 0"),
        execute("INSERT INTO t (v) VALUES ('a')"),
        // Nothing inserted: the connection's previous value.
        execute("INSERT OR IGNORE INTO t (v) VALUES ('a')"),
        execute("UPDATE t SET v = 'b'"),
        execute("SELECT * FROM t"),
        execute("WITH n(v) AS (VALUES ('c')) INSERT INTO t (v) SELECT v FROM n"),
        execute("REPLACE INTO t (id, v) VALUES (5, 'd')"),
        execute("DELETE FROM t WHERE id = 5"),
        execute("EXPLAIN INSERT INTO t (v) VALUES ('e')"),
        { type: "close" },
      ],
    });
    expect(json.results.map((r) => r.response?.result?.last_insert_rowid)).toEqual([
      null,
      "0",
      "1",
      "1",
      null,
      null,
      "2",
      "5",
      null,
      null,
      undefined,
    ]);
  });

  test("@libsql/client sees lastInsertRowid only for INSERTs", async ({ client }) => {
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    const empty = await client.execute("INSERT INTO t (v) SELECT 'x' WHERE 0");
    expect(empty.rowsAffected).toBe(0);
    expect(empty.lastInsertRowid).toBe(0n);
    expect((await client.execute("INSERT INTO t (v) VALUES ('a')")).lastInsertRowid).toBe(1n);
    expect((await client.execute("UPDATE t SET v = 'b'")).lastInsertRowid).toBeUndefined();
  });

  test("INSERT … RETURNING gives both rows and the affected count", async ({ client }) => {
    await client.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT)");
    const result = await client.execute({ sql: "INSERT INTO r (v) VALUES (?) RETURNING id, v", args: ["x"] });
    expect(result.rows[0]).toMatchObject({ id: 1, v: "x" });
    expect(result.rowsAffected).toBe(1);
  });

  test("a write batch commits every statement", async ({ client }) => {
    await client.execute("CREATE TABLE t (v TEXT UNIQUE)");
    const results = await client.batch(
      [
        { sql: "INSERT INTO t VALUES (?)", args: ["a"] },
        { sql: "INSERT INTO t VALUES (?)", args: ["b"] },
      ],
      "write",
    );
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 1]);
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(2);
  });

  test("a batch with a failing step rolls back the steps before it", async ({ client }) => {
    await client.execute("CREATE TABLE t (v TEXT UNIQUE)");
    await client.execute("INSERT INTO t VALUES ('taken')");
    await expect(
      client.batch(["INSERT INTO t VALUES ('fresh')", "INSERT INTO t VALUES ('taken')"], "write"),
    ).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    const rows = (await client.execute("SELECT v FROM t ORDER BY v")).rows.map((r) => r.v);
    expect(rows).toEqual(["taken"]);
  });

  test("interactive transactions commit and roll back", async ({ client }) => {
    await client.execute("CREATE TABLE t (v TEXT)");

    const committed = await client.transaction("write");
    await committed.execute("INSERT INTO t VALUES ('kept')");
    expect((await committed.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(1);
    await committed.commit();

    const rolledBack = await client.transaction("write");
    await rolledBack.execute("INSERT INTO t VALUES ('dropped')");
    await rolledBack.rollback();

    expect((await client.execute("SELECT v FROM t")).rows.map((r) => r.v)).toEqual(["kept"]);
  });

  test("concurrent streams have their own connections: uncommitted writes are invisible, then a waiting writer proceeds", async ({
    client,
  }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const transaction = await client.transaction("write");
    await transaction.execute("INSERT INTO t VALUES ('in-transaction')");

    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(0);

    // This writer needs the lock the transaction holds: it must wait, not fail and not deadlock the server.
    const waitingWrite = client.execute("INSERT INTO t VALUES ('after')");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await transaction.commit();
    await waitingWrite;

    const rows = (await client.execute("SELECT v FROM t ORDER BY rowid")).rows.map((r) => r.v);
    expect(rows).toEqual(["in-transaction", "after"]);
  });

  test("writes that waited for the lock are durably committed, and so are later writes on the same connections", async ({
    client,
    server,
  }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const transaction = await client.transaction("write");
    await transaction.execute("INSERT INTO t VALUES ('first')");
    const waiting = ["w1", "w2", "w3"].map((value) =>
      client.execute({ sql: "INSERT INTO t VALUES (?)", args: [value] }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    await transaction.commit();
    await Promise.all(waiting);
    for (const value of ["a1", "a2", "a3"]) await client.execute({ sql: "INSERT INTO t VALUES (?)", args: [value] });

    // A separate client reads through fresh streams: only committed rows can appear.
    const observer = createClient({ url: server.url });
    try {
      const rows = (await observer.execute("SELECT v FROM t ORDER BY v")).rows.map((r) => r.v);
      expect(rows).toEqual(["a1", "a2", "a3", "first", "w1", "w2", "w3"]);
    } finally {
      observer.close();
    }
  });

  test("many concurrent write batches all land", async ({ client }) => {
    await client.execute("CREATE TABLE counter (n INTEGER)");
    await client.execute("INSERT INTO counter VALUES (0)");
    await Promise.all(
      Array.from({ length: 50 }, () =>
        client.batch(["UPDATE counter SET n = n + 1", "SELECT n FROM counter"], "write"),
      ),
    );
    expect((await client.execute("SELECT n FROM counter")).rows[0]?.n).toBe(50);
  });

  test("a CREATE TRIGGER with a multi-statement body is one statement", async ({ client }) => {
    await client.execute("CREATE TABLE a (v TEXT)");
    await client.execute("CREATE TABLE log (v TEXT)");
    await client.execute(`CREATE TRIGGER a_log AFTER INSERT ON a BEGIN
      INSERT INTO log VALUES (new.v);
      INSERT INTO log VALUES (new.v || ';' || 'twice');
    END`);
    await client.execute("INSERT INTO a VALUES ('x')");
    expect((await client.execute("SELECT v FROM log ORDER BY rowid")).rows.map((r) => r.v)).toEqual(["x", "x;twice"]);
  });

  test("executeMultiple runs a sequence", async ({ client }) => {
    await client.executeMultiple("CREATE TABLE s (v); INSERT INTO s VALUES (1); INSERT INTO s VALUES (2);");
    expect((await client.execute("SELECT count(*) AS n FROM s")).rows[0]?.n).toBe(2);
  });
});

describe("libSQL server protocol requests", () => {
  test("batch step conditions ok, error, not, and, or, is_autocommit", async ({ pipeline }) => {
    const { status, json } = await pipeline({
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: stmt("SELECT 1") },
              { stmt: stmt("SELECT no_such_column") },
              { condition: { type: "ok", step: 0 }, stmt: stmt("SELECT 'ok-ran'") },
              { condition: { type: "ok", step: 1 }, stmt: stmt("SELECT 'ok-skipped'") },
              { condition: { type: "error", step: 1 }, stmt: stmt("SELECT 'error-ran'") },
              { condition: { type: "not", cond: { type: "ok", step: 1 } }, stmt: stmt("SELECT 'not-ran'") },
              {
                condition: {
                  type: "and",
                  conds: [
                    { type: "ok", step: 0 },
                    { type: "ok", step: 1 },
                  ],
                },
                stmt: stmt("SELECT 'and-skipped'"),
              },
              {
                condition: {
                  type: "or",
                  conds: [
                    { type: "ok", step: 0 },
                    { type: "ok", step: 1 },
                  ],
                },
                stmt: stmt("SELECT 'or-ran'"),
              },
              { condition: { type: "is_autocommit" }, stmt: stmt("SELECT 'autocommit-ran'") },
            ],
          },
        },
        { type: "close" },
      ],
    });
    expect(status).toBe(200);
    const result = json.results[0]?.response?.result as {
      step_results: ({ rows: { value: string }[][] } | null)[];
      step_errors: ({ code: string } | null)[];
    };
    const ran = result.step_results.map((step) => step?.rows[0]?.[0]?.value ?? null);
    expect(ran).toEqual(["1", null, "ok-ran", null, "error-ran", "not-ran", null, "or-ran", "autocommit-ran"]);
    expect(result.step_errors[1]?.code).toBe("SQLITE_ERROR");
    expect(result.step_errors.filter((error) => error !== null)).toHaveLength(1);
  });

  test("stored SQL, describe, sequence and get_autocommit on one stream", async ({ pipeline }) => {
    const first = await pipeline({
      requests: [
        { type: "sequence", sql: "CREATE TABLE d (id INTEGER PRIMARY KEY, name TEXT); BEGIN;" },
        { type: "get_autocommit" },
        { type: "store_sql", sql_id: 1, sql: "INSERT INTO d (name) VALUES (:name)" },
        { type: "execute", stmt: { sql_id: 1, named_args: [{ name: ":name", value: text("stored") }] } },
        { type: "describe", sql: "SELECT id, name FROM d WHERE id = ?1 AND name = :n" },
        { type: "describe", sql: "INSERT INTO d (name) VALUES (?)" },
        { type: "close_sql", sql_id: 1 },
        { type: "execute", stmt: { sql_id: 1 } },
      ],
    });
    expect(first.status).toBe(200);
    const [sequence, autocommit, store, execute, describeSelect, describeInsert, closeSql, afterClose] =
      first.json.results;
    expect(sequence?.type).toBe("ok");
    expect(autocommit?.response?.is_autocommit).toBe(false);
    expect(store?.type).toBe("ok");
    expect(execute?.response?.result?.affected_row_count).toBe(1);
    expect(describeSelect?.response?.result).toEqual({
      params: [{ name: "?1" }, { name: ":n" }],
      cols: [
        { name: "id", decltype: "INTEGER" },
        { name: "name", decltype: "TEXT" },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(describeInsert?.response?.result).toMatchObject({ params: [{ name: null }], is_readonly: false });
    expect(closeSql?.type).toBe("ok");
    expect(afterClose?.error?.code).toBe("SQL_NOT_FOUND");
    expect(first.json.baton).toEqual(expect.any(String));

    const second = await pipeline({
      baton: first.json.baton,
      requests: [{ type: "execute", stmt: stmt("COMMIT") }, { type: "get_autocommit" }, { type: "close" }],
    });
    expect(second.json.results.map((r) => r.type)).toEqual(["ok", "ok", "ok"]);
    expect(second.json.results[1]?.response?.is_autocommit).toBe(true);
    expect(second.json.baton).toBeNull();
  });

  test("integers travel as strings, floats as numbers, blobs as base64", async ({ pipeline }) => {
    const { json } = await pipeline({
      requests: [
        {
          type: "execute",
          stmt: stmt("SELECT ?, ?, ?, ?, ?", [
            integer(9007199254740993n),
            { type: "float", value: 2.5 },
            text("t"),
            { type: "blob", base64: "AAH/" },
            { type: "null" },
          ]),
        },
        { type: "close" },
      ],
    });
    expect(json.results[0]?.response?.result?.rows).toEqual([
      [
        { type: "integer", value: "9007199254740993" },
        { type: "float", value: 2.5 },
        { type: "text", value: "t" },
        { type: "blob", base64: "AAH/" },
        { type: "null" },
      ],
    ]);
  });

  test("version and health endpoints answer", async ({ server }) => {
    for (const path of ["/v2", "/v3", "/health"]) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    }
  });

  test("the v2 pipeline endpoint serves the same protocol", async ({ pipeline }) => {
    const { status, json } = await pipeline(
      { requests: [{ type: "execute", stmt: stmt("SELECT 42") }, { type: "close" }] },
      "/v2/pipeline",
    );
    expect(status).toBe(200);
    expect(json.results[0]?.response?.result?.rows).toEqual([[integer(42)]]);
  });
});
