import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/** `column` contains `text` literally: `%`, `_` and `\` typed by a user are not wildcards. */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return sql`${column} like ${pattern} escape '\\'`;
}
