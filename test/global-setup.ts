import { startLibsqlServer } from "@edge-commerce/libsql-server";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../scripts/db/migrate-database.ts";

/** Runs in Node before the workers start: a real libSQL server on a fresh, migrated database. */
export default async function setup({ provide }: TestProject) {
  const server = await startLibsqlServer({ databasePath: ":memory:" });
  await migrateDatabase(server.url);
  provide("databaseUrl", server.url);

  const stopped = await startLibsqlServer({ databasePath: ":memory:" });
  provide("unreachableDatabaseUrl", stopped.url);
  await stopped.close();

  return async () => {
    await server.close();
  };
}
