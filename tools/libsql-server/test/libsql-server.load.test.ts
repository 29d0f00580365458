import { type Client, createClient } from "@libsql/client";
import Database from "libsql";
import { describe, expect } from "vitest";
import { stmt, test } from "./libsql-fixtures.ts";

const execute = (sql: string) => ({ type: "execute", stmt: stmt(sql) });

/** A table `t` and an interactive write transaction that has written 'held' to it: it holds the write lock. */
async function holdingTheLock(client: Client) {
  await client.execute("CREATE TABLE t (v TEXT)");
  const transaction = await client.transaction("write");
  await transaction.execute("INSERT INTO t VALUES ('held')");
  return transaction;
}

async function valuesOf(client: Client) {
  return (await client.execute("SELECT v FROM t ORDER BY rowid")).rows.map((row) => row.v);
}

/** A pipeline request as raw HTTP, to see sqld's refusals (status, content type, body) exactly. */
async function postPipeline(
  url: string,
  body: unknown,
): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${url}/v3/pipeline`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

describe("libSQL server concurrent request limit", () => {
  test.override({ serverOptions: { maxConcurrentConnections: 1, maxConcurrentRequests: 2 } });

  test("while every stream slot is taken new streams wait, and the request that brings the waiters to the limit gets sqld's 429", async ({
    server,
    pipeline,
  }) => {
    const holder = await pipeline({ requests: [execute("SELECT 1")] });
    const newStream = { requests: [execute("SELECT 'new stream'"), { type: "close" }] };
    const first = postPipeline(server.url, newStream);
    const second = postPipeline(server.url, newStream);

    // The one that waits cannot answer before the slot is freed, so the first answer is the refusal.
    const refused = await Promise.race([first, second]);
    expect(refused).toEqual({
      status: 429,
      type: "application/json",
      body: { error: "Too many concurrent requests" },
    });

    // A request with a baton uses its stream's slot: it is never counted nor made to wait.
    const closing = await pipeline({ baton: holder.json.baton, requests: [execute("SELECT 2"), { type: "close" }] });
    expect(closing.status).toBe(200);

    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429]);
  });
});

describe("libSQL server concurrent request limit counts the arriving request", () => {
  test.override({ serverOptions: { maxConcurrentRequests: 1 } });

  test("a limit of 1 refuses every new stream, as sqld's does, and @libsql/client reports it as SERVER_ERROR", async ({
    client,
  }) => {
    await expect(client.execute("SELECT 1")).rejects.toMatchObject({
      code: "SERVER_ERROR",
      message: "SERVER_ERROR: Server returned HTTP status 429",
    });
  });
});

describe("libSQL server connection creation timeout", () => {
  test.override({ serverOptions: { maxConcurrentConnections: 1, connectionCreationTimeoutMs: 50 } });

  test("a new stream that waits longer than the connection creation timeout gets sqld's 429", async ({
    server,
    pipeline,
  }) => {
    const holder = await pipeline({ requests: [execute("SELECT 1")] });
    const newStream = { requests: [execute("SELECT 'new stream'"), { type: "close" }] };
    expect(await postPipeline(server.url, newStream)).toEqual({
      status: 429,
      type: "application/json",
      body: { error: "Timed out while opening database connection" },
    });
    await pipeline({ baton: holder.json.baton, requests: [{ type: "close" }] });
    expect((await postPipeline(server.url, newStream)).status).toBe(200);
  });
});

describe("libSQL server write lock: a waiting writer takes the lock from an old transaction", () => {
  test.override({ serverOptions: { transactionTimeoutMs: 200 } });

  test("the holder is rolled back, and every step of its next batch fails with TRANSACTION_TIMEOUT, once", async ({
    client,
    pipeline,
  }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const holder = await pipeline({ requests: [execute("BEGIN IMMEDIATE"), execute("INSERT INTO t VALUES ('held')")] });
    expect(holder.json.results.map((r) => r.type)).toEqual(["ok", "ok"]);

    // Waits until the holder's transaction is older than the transaction timeout, then takes the lock.
    await client.execute("INSERT INTO t VALUES ('waited')");

    const next = await pipeline({
      baton: holder.json.baton,
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: stmt("INSERT INTO t VALUES ('after')") },
              { condition: { type: "ok", step: 0 }, stmt: stmt("COMMIT") },
            ],
          },
        },
        execute("SELECT 'the stream goes on'"),
        { type: "get_autocommit" },
        { type: "close" },
      ],
    });
    const timedOut = { message: "Transaction timed out", code: "TRANSACTION_TIMEOUT" };
    expect(next.json.results[0]?.response?.result).toEqual({
      step_results: [null, null],
      step_errors: [timedOut, timedOut],
    });
    expect(next.json.results[1]?.type).toBe("ok");
    expect(next.json.results[2]?.response?.is_autocommit).toBe(true);
    expect(await valuesOf(client)).toEqual(["waited"]);
  });

  test("through @libsql/client, the old transaction's next statement is rejected with TRANSACTION_TIMEOUT", async ({
    client,
  }) => {
    const transaction = await holdingTheLock(client);
    await client.execute("INSERT INTO t VALUES ('waited')");
    await expect(transaction.execute("SELECT 1")).rejects.toMatchObject({ code: "TRANSACTION_TIMEOUT" });
    transaction.close();
    expect(await valuesOf(client)).toEqual(["waited"]);
  });
});

describe("libSQL server write lock: a transaction younger than the timeout keeps it", () => {
  test("a waiting writer gets the lock when the holder commits, and both writes stay", async ({ client }) => {
    const transaction = await holdingTheLock(client);
    const waiter = client.execute("INSERT INTO t VALUES ('waited')");
    await transaction.commit();
    await waiter;
    expect(await valuesOf(client)).toEqual(["held", "waited"]);
  });

  test("a transaction that read before another writer committed cannot write: SQLITE_BUSY at once (a stale snapshot)", async ({
    client,
  }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const transaction = await client.transaction("deferred");
    await transaction.execute("SELECT count(*) FROM t");
    await client.execute("INSERT INTO t VALUES ('committed meanwhile')");
    await expect(transaction.execute("INSERT INTO t VALUES ('stale')")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    transaction.close();
    expect((await client.execute("SELECT v FROM t")).rows.map((r) => r.v)).toEqual(["committed meanwhile"]);
  });
});

describe("libSQL server write lock held outside the server", () => {
  test.override({ serverOptions: { busyTimeoutMs: 50 } });

  test("a batch that cannot get the lock within the busy timeout fails with SQLITE_BUSY and writes nothing", async ({
    client,
    server,
  }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const outsider = new Database(server.databasePath);
    try {
      outsider.exec("BEGIN IMMEDIATE");
      const inserts = ["INSERT INTO t VALUES ('a')", "INSERT INTO t VALUES ('b')"];
      await expect(client.batch(inserts, "write")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      await expect(client.batch(inserts, "deferred")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      outsider.exec("ROLLBACK");
    } finally {
      outsider.close();
    }
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(0);
    await client.batch(["INSERT INTO t VALUES ('a')", "INSERT INTO t VALUES ('b')"], "write");
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(2);
  });

  test("a writer that gave up waiting leaves a connection that still commits later writes", async ({
    client,
    server,
  }) => {
    await client.execute("CREATE TABLE t (v TEXT)");
    const outsider = new Database(server.databasePath);
    try {
      outsider.exec("BEGIN IMMEDIATE");
      await expect(client.execute("INSERT INTO t VALUES ('gave up')")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
      outsider.exec("ROLLBACK");
    } finally {
      outsider.close();
    }

    // One request at a time: the next write runs on the pooled connection that gave up.
    await client.execute("INSERT INTO t VALUES ('after')");

    const observer = createClient({ url: server.url });
    try {
      expect((await observer.execute("SELECT v FROM t ORDER BY rowid")).rows.map((r) => r.v)).toEqual(["after"]);
    } finally {
      observer.close();
    }
  });
});
