/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (default:
 * the local libSQL server), with DATABASE_AUTH_TOKEN for Turso, and says which
 * it applied, or that the database was already up to date.
 */
import { runCommand } from "./cli/command.ts";
import { migrateDatabase } from "./db/migrate-database.ts";

// An empty DATABASE_URL counts as unset.
const url = process.env.DATABASE_URL || `http://127.0.0.1:${process.env.LIBSQL_PORT || 8080}`;

await runCommand("db:migrate", { databaseUrl: url }, async () => {
  const report = await migrateDatabase(url, process.env.DATABASE_AUTH_TOKEN || undefined);
  const host = new URL(url).host;
  if (report.applied.length === 0) console.log(`Database at ${host} is already up to date: no migration applied.`);
  else {
    const count = report.applied.length;
    console.log(`Applied ${count} migration${count === 1 ? "" : "s"} to ${host}: ${report.applied.join(", ")}.`);
  }
  if (report.rekeyed > 0) console.log(`Username keys rewritten in canonical form: ${report.rekeyed}`);
  for (const id of report.renamed) {
    console.warn(`Account ${id}: its username looked like an older account's; renamed u${id.replace(/^usr_/, "")}`);
  }
});
