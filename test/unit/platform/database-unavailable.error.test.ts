import { describe, expect, it } from "vitest";
import {
  DATABASE_ROUND_TRIP_TIMEOUT_MS,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  unavailableWhenUnreachable,
} from "../../../src/platform/db/unavailable";

const URL = "http://127.0.0.1:1/v2/pipeline";

describe("the database client's fetch when the database cannot be reached", () => {
  it("a transport failure (refused, reset, DNS, a timeout) becomes DatabaseUnavailableError, keeping it as the cause", async () => {
    for (const failure of [
      new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      }),
      new TypeError("Network connection lost."),
      new DOMException("The operation timed out.", "TimeoutError"),
    ]) {
      const send = unavailableWhenUnreachable(() => Promise.reject(failure));
      const error = await send(URL, { method: "POST" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).cause).toBe(failure);
      expect(isDatabaseUnavailable(new Error("wrapped by the driver", { cause: error }))).toBe(true);
    }
  });

  it("a real refused connection is classified the same way", async () => {
    const send = unavailableWhenUnreachable((input, init) => fetch(input, init));
    await expect(send(URL, { method: "POST", body: "{}" })).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });

  it("any other HTTP answer, even an error status or 429, is the database's and passes through whole", async () => {
    for (const status of [200, 400, 429, 500]) {
      const send = unavailableWhenUnreachable(async () => new Response(`answer ${status}`, { status }));
      const response = await send(URL);
      expect(response.status).toBe(status);
      expect(await response.text()).toBe(`answer ${status}`);
    }
  });

  it("502, 503 and 504 from a proxy in front of the database are unavailability, and the proxy's body goes nowhere", async () => {
    for (const status of [502, 503, 504]) {
      const page = "<h1>upstream sqld-7.internal:8080 refused</h1>";
      const send = unavailableWhenUnreachable(async () => new Response(page, { status }));
      const error = await send(URL, { method: "POST" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(String((error as Error).cause)).toContain(String(status));
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toMatch(/sqld-7|refused/);
      expect(String((error as Error).cause)).not.toMatch(/sqld-7|refused/);
    }
  });

  it("a database that accepts the request and never answers becomes DatabaseUnavailableError at the deadline", async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const send = unavailableWhenUnreachable(never, 20);
    const error = await send(URL, { method: "POST" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(((error as Error).cause as DOMException).name).toBe("TimeoutError");
  });

  it("an answer whose body stops half-way is bounded by the same deadline", async () => {
    const stalled: typeof fetch = async (_input, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"results":['));
          init?.signal?.addEventListener("abort", () => controller.error(init.signal?.reason));
        },
      });
      return new Response(body, { status: 200 });
    };
    const send = unavailableWhenUnreachable(stalled, 20);
    await expect(send(URL, { method: "POST" })).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });

  it("the default deadline is bounded", () => {
    expect(DATABASE_ROUND_TRIP_TIMEOUT_MS).toBeGreaterThanOrEqual(10_000);
    expect(DATABASE_ROUND_TRIP_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });

  it("the caller's own abort is not the database's absence", async () => {
    const controller = new AbortController();
    controller.abort();
    const send = unavailableWhenUnreachable((_input, init) => Promise.reject(init?.signal?.reason));
    const error = await send(URL, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBe(controller.signal.reason);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("the caller's abort during a slow round trip still passes through unchanged, deadline or not", async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    for (const onRequest of [false, true]) {
      const controller = new AbortController();
      const send = unavailableWhenUnreachable(never, 60_000);
      const pending = onRequest
        ? send(new Request(URL, { signal: controller.signal }))
        : send(URL, { signal: controller.signal });
      controller.abort(new Error("the caller gave up"));
      const error = await pending.catch((caught: unknown) => caught);
      expect(error).toBe(controller.signal.reason);
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });

  it("other errors are not mistaken for it", () => {
    expect(isDatabaseUnavailable(new TypeError("fetch failed"))).toBe(false);
    expect(isDatabaseUnavailable("fetch failed")).toBe(false);
  });
});
