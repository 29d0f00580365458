import { describe, expect, it } from "vitest";
import {
  BUSY_RETRY,
  type BusyRetryPolicy,
  DatabaseBusyError,
  pauseBefore,
  refusedAsBusy,
  retryWhenBusy,
  standsAlone,
} from "../../../src/platform/db/busy-retry";

const URL = "http://db.test/v2/pipeline";
const STANDALONE = JSON.stringify({
  baton: null,
  requests: [{ type: "store_sql" }, { type: "batch" }, { type: "close" }],
});
const OPENS_TRANSACTION = JSON.stringify({ baton: null, requests: [{ type: "execute" }] });
const IN_TRANSACTION = JSON.stringify({ baton: "b1", requests: [{ type: "execute" }, { type: "close" }] });

const ok = () => new Response(JSON.stringify({ baton: null, results: [{ type: "ok" }, { type: "ok" }] }));
const tooMany = () => new Response(JSON.stringify({ error: "Too many concurrent requests" }), { status: 429 });
const busyStatement = () =>
  new Response(
    JSON.stringify({
      results: [{ type: "ok" }, { type: "error", error: { message: "database is locked", code: "SQLITE_BUSY" } }],
    }),
  );
const busyBatchStep = () =>
  new Response(
    JSON.stringify({
      results: [{ type: "ok", response: { type: "batch", result: { step_errors: [null, { code: "SQLITE_BUSY" }] } } }],
    }),
  );
const constraint = () =>
  new Response(
    JSON.stringify({ results: [{ type: "error", error: { message: "UNIQUE", code: "SQLITE_CONSTRAINT" } }] }),
  );
const serverError = () => new Response("upstream failed", { status: 500, statusText: "Internal Server Error" });

/** A database that answers from `answers` in turn (the last one forever), recording what it was sent. */
function database(...answers: (() => Response)[]) {
  const sent: { method: string; body: string }[] = [];
  const send: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ method: request.method, body: await request.text() });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)] as () => Response;
    return answer();
  };
  return { send, sent, bodies: () => sent.map((request) => request.body) };
}

function pausesRecorded() {
  const pauses: number[] = [];
  return { pauses, wait: async (ms: number) => void pauses.push(ms) };
}

const post = (body: string) => ({ method: "POST", body });
const noPause = async () => {};

describe("a busy database is asked again, within a budget", () => {
  it("sends a refused stand-alone pipeline again, the same body, until it is answered", async () => {
    for (const busy of [tooMany, busyStatement, busyBatchStep]) {
      const db = database(busy, busy, ok);
      const { pauses, wait } = pausesRecorded();
      const response = await retryWhenBusy(db.send, BUSY_RETRY, wait, () => 0.5)(URL, post(STANDALONE));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ results: [{ type: "ok" }, { type: "ok" }] });
      expect(db.bodies()).toEqual([STANDALONE, STANDALONE, STANDALONE]);
      expect(pauses).toEqual([10, 20]);
    }
  });

  it("gives up with DatabaseBusyError once the retries or the pause budget are spent", async () => {
    const db = database(tooMany);
    const { pauses, wait } = pausesRecorded();
    const refused = retryWhenBusy(db.send, BUSY_RETRY, wait, () => 0.999)(URL, post(STANDALONE));
    await expect(refused).rejects.toMatchObject({ name: "DatabaseBusyError" });
    await expect(refused).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(pauses.length).toBeLessThanOrEqual(BUSY_RETRY.maxRetries);
    expect(pauses.reduce((sum, pause) => sum + pause, 0)).toBeLessThanOrEqual(BUSY_RETRY.budgetMs);

    const tight: BusyRetryPolicy = { maxRetries: 2, budgetMs: 10_000, firstPauseMs: 1, maxPauseMs: 1 };
    const again = database(busyStatement);
    await expect(retryWhenBusy(again.send, tight, noPause, () => 0.5)(URL, post(STANDALONE))).rejects.toThrow(
      /through 2 retries/,
    );
    expect(again.sent).toHaveLength(3);
  });

  it("a pause that fills the budget exactly is still taken", async () => {
    const exact: BusyRetryPolicy = { maxRetries: 8, budgetMs: 30, firstPauseMs: 20, maxPauseMs: 500 };
    const db = database(tooMany, tooMany, ok);
    const { pauses, wait } = pausesRecorded();
    const response = await retryWhenBusy(db.send, exact, wait, () => 0.5)(URL, post(STANDALONE));
    expect(response.status).toBe(200);
    expect(pauses).toEqual([10, 20]);
  });

  it("waits for real between tries unless told otherwise", async () => {
    const policy: BusyRetryPolicy = { maxRetries: 1, budgetMs: 1_000, firstPauseMs: 300, maxPauseMs: 300 };
    const db = database(tooMany, ok);
    const started = Date.now();
    const response = await retryWhenBusy(db.send, policy, undefined, () => 0.999)(URL, post(STANDALONE));
    expect(response.status).toBe(200);
    // A lower bound only: a timer never fires early.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("never repeats a request of an interactive transaction, nor one refused for anything but the lock", async () => {
    for (const body of [OPENS_TRANSACTION, IN_TRANSACTION]) {
      for (const [refusal, status] of [
        [tooMany, 429],
        [busyStatement, 200],
      ] as const) {
        const db = database(refusal, ok);
        const response = await retryWhenBusy(db.send, BUSY_RETRY, noPause, () => 0.5)(URL, post(body));
        // Handed back as it came, body included, for the transaction's owner to decide.
        expect([response.status, await response.text()]).toEqual([status, await refusal().text()]);
        expect(db.bodies()).toEqual([body]);
      }
    }
    const mentions = () =>
      new Response(
        JSON.stringify({
          results: [{ type: "ok", response: { type: "execute", result: { rows: [["SQLITE_BUSY"]] } } }],
        }),
      );
    const mentioning = database(mentions, ok);
    await retryWhenBusy(mentioning.send, BUSY_RETRY, noPause, () => 0.5)(URL, post(STANDALONE));
    expect(mentioning.sent).toHaveLength(1);
    const refused = database(constraint, ok);
    const answer = await retryWhenBusy(refused.send, BUSY_RETRY, noPause, () => 0.5)(URL, post(STANDALONE));
    expect(await answer.json()).toMatchObject({ results: [{ error: { code: "SQLITE_CONSTRAINT" } }] });
    expect(refused.sent).toHaveLength(1);

    const failing = database(serverError, ok);
    const failed = await retryWhenBusy(failing.send, BUSY_RETRY, noPause, () => 0.5)(URL, post(STANDALONE));
    expect([failed.status, await failed.text()]).toEqual([500, "upstream failed"]);
    expect(failing.sent).toHaveLength(1);
  });

  it("passes anything but a POST through as it is", async () => {
    const db = database(tooMany, ok);
    const response = await retryWhenBusy(
      db.send,
      BUSY_RETRY,
      noPause,
      () => 0.5,
    )("http://db.test/v2", {
      method: "GET",
    });
    expect(response.status).toBe(429);
    expect(db.sent).toEqual([{ method: "GET", body: "" }]);
  });

  it("tells stand-alone pipelines and busy answers apart", () => {
    expect(standsAlone(STANDALONE)).toBe(true);
    expect(standsAlone(JSON.stringify({ requests: [{ type: "execute" }, { type: "close" }] }))).toBe(true);
    expect(standsAlone(OPENS_TRANSACTION)).toBe(false);
    expect(standsAlone(IN_TRANSACTION)).toBe(false);
    expect(standsAlone(JSON.stringify({ baton: null, requests: [{ type: "close" }, { type: "execute" }] }))).toBe(
      false,
    );
    expect(standsAlone(JSON.stringify({ baton: null, requests: [] }))).toBe(false);
    expect(standsAlone(JSON.stringify({ baton: null }))).toBe(false);
    expect(standsAlone("not json")).toBe(false);

    expect(refusedAsBusy("not json")).toBe(false);
    expect(refusedAsBusy(JSON.stringify({}))).toBe(false);
    expect(
      refusedAsBusy(JSON.stringify({ results: [{ type: "ok" }, { type: "ok", response: { type: "close" } }] })),
    ).toBe(false);
    const executed = { type: "ok", response: { type: "execute", result: { rows: [] } } };
    expect(refusedAsBusy(JSON.stringify({ results: [executed] }))).toBe(false);
    const batch = (stepErrors: ({ code: string } | null)[]) =>
      JSON.stringify({ results: [{ type: "ok", response: { type: "batch", result: { step_errors: stepErrors } } }] });
    expect(refusedAsBusy(batch([null, null]))).toBe(false);
    expect(refusedAsBusy(batch([null, { code: "SQLITE_CONSTRAINT" }]))).toBe(false);
    expect(refusedAsBusy(batch([null, { code: "SQLITE_BUSY" }]))).toBe(true);
  });

  it("pauses a random share of a ceiling that doubles from the first pause up to the largest", () => {
    const policy: BusyRetryPolicy = { maxRetries: 10, budgetMs: 10_000, firstPauseMs: 20, maxPauseMs: 100 };
    expect([1, 2, 3, 4, 5].map((attempt) => pauseBefore(attempt, policy, () => 0.999))).toEqual([19, 39, 79, 99, 99]);
    expect(pauseBefore(3, policy, () => 0)).toBe(0);
  });
});
