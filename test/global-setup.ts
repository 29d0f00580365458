import { startLibsqlServer } from "@edge-commerce/libsql-server";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../scripts/db/migrate-database.ts";
import { createLegacyShop } from "./support/legacy-shop.ts";

/**
 * Runs in Node before the workers start: a real libSQL server on a fresh, migrated database; and a second one
 * holding a shop written by the schema before variants, migrated since (test/support/legacy-shop.ts).
 */
export default async function setup({ provide }: TestProject) {
  const [server, legacy] = await Promise.all([
    startLibsqlServer({ databasePath: ":memory:" }),
    startLibsqlServer({ databasePath: ":memory:" }),
  ]);
  const [, legacyShop] = await Promise.all([migrateDatabase(server.url), createLegacyShop(legacy.url)]);
  provide("databaseUrl", server.url);
  provide("legacyDatabaseUrl", legacy.url);
  provide("legacyShop", legacyShop);

  const stopped = await startLibsqlServer({ databasePath: ":memory:" });
  provide("unreachableDatabaseUrl", stopped.url);
  await stopped.close();

  return async () => {
    await Promise.all([server.close(), legacy.close()]);
  };
}
