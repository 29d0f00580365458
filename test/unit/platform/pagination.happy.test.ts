import { type SQL, sql } from "drizzle-orm";
import { SQLiteSyncDialect, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import {
  afterCursor,
  type CursorValues,
  decodeCursor,
  newestFirst,
  orderBy,
  paginate,
  type SortKey,
} from "../../../src/platform/http/pagination";

const things = sqliteTable("things", { id: text("id").primaryKey(), createdAt: text("created_at").notNull() });
const dialect = new SQLiteSyncDialect();
const render = (query: SQL) => dialect.sqlToQuery(query);

/** An encoder written independently of the code under test: base64url of the JSON array's UTF-8, unpadded. */
function cursorOf(values: CursorValues): string {
  const binary = String.fromCharCode(...new TextEncoder().encode(JSON.stringify(values)));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function valuesOf(cursor: string): unknown {
  const base64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))));
}

const rows = Array.from({ length: 5 }, (_, index) => ({
  id: `thg_${index}`,
  createdAt: `2026-01-0${9 - index}T00:00:00.000Z`,
}));
const keyOf = (row: { id: string; createdAt: string }): CursorValues => [row.createdAt, row.id];

describe("paginate", () => {
  it("given limit + 1 rows, serves limit of them and a cursor holding the last one served", () => {
    const { page, nextCursor } = paginate(rows.slice(0, 3), 2, keyOf);
    expect(page).toEqual(rows.slice(0, 2));
    expect(nextCursor).not.toBeNull();
    expect(valuesOf(nextCursor as string)).toEqual([rows[1]?.createdAt, rows[1]?.id]);
  });

  it("has no next cursor on the last page (limit rows or fewer)", () => {
    expect(paginate(rows.slice(0, 2), 2, keyOf)).toEqual({ page: rows.slice(0, 2), nextCursor: null });
    expect(paginate(rows.slice(0, 1), 2, keyOf)).toEqual({ page: rows.slice(0, 1), nextCursor: null });
    expect(paginate([], 2, keyOf)).toEqual({ page: [], nextCursor: null });
  });

  it("with a limit of 0, serves nothing and has nothing to continue from", () => {
    expect(paginate(rows.slice(0, 1), 0, keyOf)).toEqual({ page: [], nextCursor: null });
  });

  it("makes an opaque URL-safe token, without padding", () => {
    const { nextCursor } = paginate([{ key: "ü/+?>>>" }, { key: "z" }], 1, (row) => [row.key, 1, null]);
    expect(nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(valuesOf(nextCursor as string)).toEqual(["ü/+?>>>", 1, null]);
  });
});

describe("decodeCursor", () => {
  it("reads back what paginate encoded", () => {
    const { nextCursor } = paginate(rows, 4, keyOf);
    expect(decodeCursor(nextCursor as string, 2)).toEqual([rows[3]?.createdAt, rows[3]?.id]);
  });

  it("reads strings, numbers and nulls from a base64url JSON array", () => {
    expect(decodeCursor(cursorOf(["2026-01-01T00:00:00.000Z", "ord_1"]), 2)).toEqual([
      "2026-01-01T00:00:00.000Z",
      "ord_1",
    ]);
    expect(decodeCursor(cursorOf([4.5, null, "x"]), 3)).toEqual([4.5, null, "x"]);
  });
});

describe("newestFirst", () => {
  const newest = newestFirst(things.createdAt, things.id);

  it("sorts by created-at, then id, both descending", () => {
    expect(newest.keys).toEqual([
      { column: things.createdAt, direction: "desc" },
      { column: things.id, direction: "desc" },
    ]);
    expect(render(sql.join(newest.orderBy, sql`, `)).sql).toBe('"things"."created_at" desc, "things"."id" desc');
  });

  it("with no cursor, adds no condition", () => {
    expect(newest.after(undefined)).toBeUndefined();
    expect(newest.after("")).toBeUndefined();
  });

  it("after a cursor, selects rows strictly older, or as old with a smaller id", () => {
    const condition = newest.after(cursorOf(["2026-01-05T00:00:00.000Z", "thg_7"]));
    expect(condition).toBeDefined();
    expect(render(condition as SQL)).toMatchObject({
      sql: '("things"."created_at" < ? or ("things"."created_at" = ? and "things"."id" < ?))',
      params: ["2026-01-05T00:00:00.000Z", "2026-01-05T00:00:00.000Z", "thg_7"],
    });
  });

  it("pages through rows with no row served twice or skipped, ties broken by id", () => {
    const all = [
      { id: "a", createdAt: "2026-01-02" },
      { id: "c", createdAt: "2026-01-01" },
      { id: "b", createdAt: "2026-01-01" },
      { id: "a2", createdAt: "2026-01-01" },
      { id: "z", createdAt: "2025-12-31" },
    ];
    // What the condition from `after` says, applied in memory (the SQL is checked above).
    const afterValues = (values: CursorValues) => (row: (typeof all)[number]) =>
      row.createdAt < String(values[0]) || (row.createdAt === values[0] && row.id < String(values[1]));
    const served: string[] = [];
    let cursor: string | null = null;
    do {
      const values: CursorValues | null = cursor ? decodeCursor(cursor, newest.keys.length) : null;
      const candidates: typeof all = values ? all.filter(afterValues(values)) : all;
      const page: { page: typeof all; nextCursor: string | null } = paginate(candidates.slice(0, 3), 2, keyOf);
      served.push(...page.page.map((row) => row.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(served).toEqual(["a", "c", "b", "a2", "z"]);
  });
});

describe("sort keys in either direction (the catalog sorts by price or name, ascending)", () => {
  const keys: SortKey[] = [
    { column: things.createdAt, direction: "asc" },
    { column: things.id, direction: "desc" },
  ];

  it("orders by each key in its own direction", () => {
    expect(render(sql.join(orderBy(keys), sql`, `)).sql).toBe('"things"."created_at" asc, "things"."id" desc');
  });

  it("after a cursor, an ascending key selects greater values and a descending one smaller", () => {
    const condition = afterCursor(keys, ["2026-01-05T00:00:00.000Z", "thg_7"]);
    expect(render(condition as SQL)).toMatchObject({
      sql: '("things"."created_at" > ? or ("things"."created_at" = ? and "things"."id" < ?))',
      params: ["2026-01-05T00:00:00.000Z", "2026-01-05T00:00:00.000Z", "thg_7"],
    });
  });
});
