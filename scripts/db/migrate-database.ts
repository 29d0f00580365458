import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { type RekeyReport, rekeyUsernames } from "./rekey-usernames.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Where drizzle's migrator records what it applied: one row per migration, `created_at` its journal `when`. Its
 * `id` column is declared `SERIAL`, which SQLite does not fill in, so rows are told apart by `rowid`.
 */
const APPLIED_TABLE = "__drizzle_migrations";

export interface MigrationReport extends RekeyReport {
  /** The migrations this run applied, by tag (`0009_…`), in order; empty when the database was up to date. */
  applied: string[];
}

/** The last row the migrator had written before this run (0 on a database it never touched). */
async function lastRecorded(client: Client): Promise<number> {
  const exists = await client.execute({
    sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    args: [APPLIED_TABLE],
  });
  if (exists.rows.length === 0) return 0;
  const result = await client.execute(`SELECT coalesce(max(rowid), 0) AS last FROM ${APPLIED_TABLE}`);
  return Number(result.rows[0]?.last ?? 0);
}

/** The tags of the migrations recorded after row `since`: what was applied, read back rather than predicted. */
async function recordedSince(client: Client, since: number): Promise<string[]> {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, "utf8")) as {
    entries: { when: number; tag: string }[];
  };
  const tags = new Map(journal.entries.map((entry) => [entry.when, entry.tag]));
  const result = await client.execute({
    sql: `SELECT created_at FROM ${APPLIED_TABLE} WHERE rowid > ? ORDER BY rowid`,
    args: [since],
  });
  return result.rows.map((row) => tags.get(Number(row.created_at)) ?? `migration of ${row.created_at}`);
}

/**
 * Applies every pending migration in `migrations/` to a libSQL database (the local server or Turso), in one
 * atomic batch, then the data migration SQL cannot express (`rekeyUsernames`), which changes only what differs;
 * reports which migrations it applied.
 */
export async function migrateDatabase(url: string, authToken?: string): Promise<MigrationReport> {
  const client = createClient({ url, authToken });
  try {
    const since = await lastRecorded(client);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    const applied = await recordedSince(client, since);
    return { ...(await rekeyUsernames(client)), applied };
  } finally {
    client.close();
  }
}
