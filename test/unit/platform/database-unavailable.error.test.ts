import { describe, expect, it } from "vitest";
import {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  unavailableWhenUnreachable,
} from "../../../src/platform/db/unavailable";

const URL = "http://127.0.0.1:1/v2/pipeline";

describe("the database client's fetch when the database cannot be reached", () => {
  it("a transport failure (refused, reset, DNS, timeout) becomes DatabaseUnavailableError, keeping it as the cause", async () => {
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

  it("any HTTP answer, even an error status, is the database's and passes through", async () => {
    const send = unavailableWhenUnreachable(async () => new Response("no", { status: 500 }));
    expect((await send(URL)).status).toBe(500);
  });

  it("the caller's own abort is not the database's absence", async () => {
    const controller = new AbortController();
    controller.abort();
    const send = unavailableWhenUnreachable((_input, init) => Promise.reject(init?.signal?.reason));
    const error = await send(URL, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBe(controller.signal.reason);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("other errors are not mistaken for it", () => {
    expect(isDatabaseUnavailable(new TypeError("fetch failed"))).toBe(false);
    expect(isDatabaseUnavailable("fetch failed")).toBe(false);
  });
});
