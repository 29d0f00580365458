import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/** `text` as a LIKE pattern matching itself literally: `%`, `_` and `\` typed by a user are not wildcards. */
function literal(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** `column` contains `text` literally. */
export function containsText(column: AnyColumn, text: string): SQL {
  return sql`${column} like ${`%${literal(text)}%`} escape '\\'`;
}

/** `column` starts with `text` literally (case-insensitively for ASCII, as SQLite's LIKE is). */
export function startsWithText(column: AnyColumn, text: string): SQL {
  return sql`${column} like ${`${literal(text)}%`} escape '\\'`;
}
