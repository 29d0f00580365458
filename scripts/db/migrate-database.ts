import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { type RekeyReport, rekeyUsernames } from "./rekey-usernames.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Applies every pending migration in `migrations/` to a libSQL database (the local server or Turso), in one
 * atomic batch, then the data migration SQL cannot express (`rekeyUsernames`), which changes only what differs.
 */
export async function migrateDatabase(url: string, authToken?: string): Promise<RekeyReport> {
  const client = createClient({ url, authToken });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_DIR });
    return await rekeyUsernames(client);
  } finally {
    client.close();
  }
}
