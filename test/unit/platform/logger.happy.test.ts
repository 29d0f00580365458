import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, mask } from "../../../src/platform/logger";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The console methods, silenced, each recording the JSON lines written to it. */
function consoleLines() {
  const lines = { log: [] as unknown[], warn: [] as unknown[], error: [] as unknown[] };
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((line: string) => {
      lines[method].push(JSON.parse(line));
    });
  }
  return lines;
}

describe("createLogger: one JSON line per entry", () => {
  it("writes debug and info to the log, warnings to warn and errors to error, each with level, event and time", () => {
    const lines = consoleLines();
    const logger = createLogger();
    logger.debug("cache_miss");
    logger.info("order_created", { order_id: "ord_1" });
    logger.warn("saga_step_failed");
    logger.error("payment_event_failed", { attempts: 3 });
    expect(lines.log).toEqual([
      { level: "debug", event: "cache_miss", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
      { level: "info", event: "order_created", at: expect.any(String), order_id: "ord_1" },
    ]);
    expect(lines.warn).toEqual([{ level: "warn", event: "saga_step_failed", at: expect.any(String) }]);
    expect(lines.error).toEqual([
      { level: "error", event: "payment_event_failed", at: expect.any(String), attempts: 3 },
    ]);
  });

  it("adds the logger's context to every entry, and a child's context to the parent's", () => {
    const lines = consoleLines();
    const parent = createLogger({ request_id: "req_1" });
    const child = parent.child({ order_id: "ord_1" });
    child.info("order_paid", { amount: 500 });
    parent.info("request_done");
    expect(lines.log).toEqual([
      {
        level: "info",
        event: "order_paid",
        at: expect.any(String),
        request_id: "req_1",
        order_id: "ord_1",
        amount: 500,
      },
      { level: "info", event: "request_done", at: expect.any(String), request_id: "req_1" },
    ]);
  });

  it("masks every entry, context and fields alike", () => {
    const lines = consoleLines();
    createLogger({ token: "secret-token-value" }).warn("sign_in_failed", { email: "ada@example.com" });
    expect(lines.warn).toEqual([
      {
        level: "warn",
        event: "sign_in_failed",
        at: expect.any(String),
        token: "[REDACTED]",
        email: "a***@example.com",
      },
    ]);
  });
});

describe("mask: what it keeps", () => {
  it("keeps numbers, booleans, null and undefined as they are, at the top and inside objects", () => {
    expect(mask(42)).toBe(42);
    expect(mask(true)).toBe(true);
    expect(mask(null)).toBeNull();
    expect(mask(undefined)).toBeUndefined();
    expect(mask({ count: 0, paid: false, note: null, missing: undefined })).toStrictEqual({
      count: 0,
      paid: false,
      note: null,
      missing: undefined,
    });
  });

  it("keeps ordinary text and arrays of it", () => {
    expect(mask(["ord_1", "shipped", 3])).toEqual(["ord_1", "shipped", 3]);
    expect(mask("the order ord_1 was shipped")).toBe("the order ord_1 was shipped");
  });

  it("logs an error as its name and masked message (a copy, not the error)", () => {
    const error = new TypeError("refused Bearer abc.def for a***");
    expect(mask(error)).toEqual({ name: "TypeError", message: "refused Bearer [REDACTED] for a***" });
    expect(mask({ error: new Error("boom") })).toEqual({ error: { name: "Error", message: "boom" } });
  });

  it("cuts objects and arrays nested more than six deep", () => {
    const deepObject = { a: { b: { c: { d: { e: { f: { g: "too deep" } } } } } } };
    expect(mask(deepObject)).toEqual({ a: { b: { c: { d: { e: { f: "[…]" } } } } } });
    expect(mask([[[[[["six", ["seven"]]]]]]])).toEqual([[[[[["six", "[…]"]]]]]]);
    expect(mask({ a: [{ b: [{ c: ["five", { f: "six" }] }] }] })).toEqual({
      a: [{ b: [{ c: ["five", "[…]"] }] }],
    });
  });
});
