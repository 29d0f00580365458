import { createClient } from "@libsql/client/web";
import { drizzle } from "drizzle-orm/libsql/web";
import type { AppConfig } from "../config";

/**
 * A drizzle client over libSQL's HTTP protocol: the same code path reaches the
 * local libSQL server in development and Turso in production. Creating one is
 * cheap (no connection is opened until the first query).
 */
export function createDb(database: AppConfig["database"]) {
  const client = createClient({ url: database.url, authToken: database.authToken });
  return drizzle(client);
}

export type Database = ReturnType<typeof createDb>;
