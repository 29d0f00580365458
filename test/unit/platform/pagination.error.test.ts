import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { decodeCursor, newestFirst } from "../../../src/platform/http/pagination";
import { ApiError } from "../../../src/platform/http/problem";

const encode = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function problemOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected an ApiError");
}

describe("a cursor that is not one of ours", () => {
  it.each([
    ["not base64 at all", "%%%"],
    ["base64 of something that is not JSON", btoa("hello").replace(/=+$/, "")],
    ["a JSON object, not an array", encode({ createdAt: "2026-01-01", id: "x" })],
    ["too few values", encode(["2026-01-01T00:00:00.000Z"])],
    ["too many values", encode(["2026-01-01T00:00:00.000Z", "ord_1", "extra"])],
    ["a value that is an object", encode(["2026-01-01T00:00:00.000Z", { id: "ord_1" }])],
    ["a value that is a boolean", encode([true, "ord_1"])],
  ])("is a 422 on query.cursor: %s", (_case, cursor) => {
    const problem = problemOf(() => decodeCursor(cursor, 2));
    expect(problem.status).toBe(422);
    expect(problem.code).toBe("validation_error");
    expect(problem.detail).toBe("The request is not valid.");
    expect(problem.options.errors).toEqual([{ path: "query.cursor", message: "Invalid cursor" }]);
  });

  it("is refused by newestFirst's condition too, before any query runs", () => {
    const things = sqliteTable("things", { id: text("id").primaryKey(), createdAt: text("created_at").notNull() });
    const problem = problemOf(() => newestFirst(things.createdAt, things.id).after(encode([1, 2, 3])));
    expect(problem.status).toBe(422);
  });
});
