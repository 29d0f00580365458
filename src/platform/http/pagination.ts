/**
 * Cursor pagination: the cursor is an opaque base64url token holding the sort
 * key and id of the last item served, so pages stay stable while rows are
 * inserted, and ties are broken by id.
 */
import { z } from "@hono/zod-openapi";
import { type AnyColumn, and, asc, desc, or, type SQL, sql } from "drizzle-orm";
import { base64Url, fromBase64, utf8 } from "../encoding";
import { invalidField } from "./problem";

const MAX_PAGE_SIZE = 100;

export const PaginationQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(20)
    .openapi({ description: "Items per page", example: 20 }),
  cursor: z.string().max(512).optional().openapi({ description: "`next_cursor` of the previous page" }),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null on the last page" }),
  });
}

export type CursorValues = (string | number | null)[];

function encodeCursor(values: CursorValues): string {
  return base64Url(utf8(JSON.stringify(values)));
}

/** Decodes a cursor made by `encodeCursor` with `arity` values; anything else is a 422 on `query.cursor`. */
export function decodeCursor(cursor: string, arity: number): CursorValues {
  try {
    const values: unknown = JSON.parse(new TextDecoder().decode(fromBase64(cursor)));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((value) => value === null || typeof value === "string" || typeof value === "number")
    ) {
      return values;
    }
  } catch {
    // fall through to the validation problem
  }
  throw invalidField("query.cursor", "Invalid cursor");
}

/** Given `limit + 1` rows, the page to serve and the cursor for the next one. */
export function paginate<T>(rows: T[], limit: number, cursorOf: (row: T) => CursorValues) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}

export interface SortKey {
  /** A column, or an SQL expression computed per row (such as a relevance score). */
  column: AnyColumn | SQL;
  direction: "asc" | "desc";
}

/** ORDER BY terms for the keys, in order. */
export function orderBy(keys: SortKey[]): SQL[] {
  return keys.map((key) => (key.direction === "asc" ? asc(key.column) : desc(key.column)));
}

/**
 * Rows strictly after the cursor position in the given order (keyset
 * pagination): for keys k1, k2 … and values v1, v2 …:
 * k1 ≻ v1, or k1 = v1 and k2 ≻ v2, and so on. The last key must be unique (the id).
 */
export function afterCursor(keys: SortKey[], values: CursorValues): SQL | undefined {
  const branches = keys.map((key, index) => {
    const equalities = keys.slice(0, index).map((previous, i) => sql`${previous.column} = ${values[i]}`);
    const value = values[index];
    const beyond = key.direction === "asc" ? sql`${key.column} > ${value}` : sql`${key.column} < ${value}`;
    return and(...equalities, beyond);
  });
  return or(...branches);
}

/**
 * Newest first, ties broken by id (`createdAt desc, id desc`): the sort keys,
 * the condition for the rows after a cursor (undefined without one; a cursor
 * that is not one of these is a 422) and the ORDER BY terms. The cursor of a
 * row, for `paginate`, is `[createdAt, id]`.
 */
export function newestFirst(createdAt: AnyColumn, id: AnyColumn) {
  const keys: SortKey[] = [
    { column: createdAt, direction: "desc" },
    { column: id, direction: "desc" },
  ];
  return {
    keys,
    after: (cursor: string | undefined): SQL | undefined =>
      cursor ? afterCursor(keys, decodeCursor(cursor, keys.length)) : undefined,
    orderBy: orderBy(keys),
  };
}
