/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (default:
 * the local libSQL server), with DATABASE_AUTH_TOKEN for Turso.
 */
import { migrateDatabase } from "./db/migrate-database.ts";

const url = process.env.DATABASE_URL ?? `http://127.0.0.1:${process.env.LIBSQL_PORT ?? 8080}`;
const report = await migrateDatabase(url, process.env.DATABASE_AUTH_TOKEN || undefined);
console.log(`Migrations applied to ${new URL(url).host}`);
if (report.rekeyed > 0) console.log(`Username keys rewritten in canonical form: ${report.rekeyed}`);
for (const id of report.renamed) {
  console.warn(`Account ${id}: its username looked like an older account's; renamed u${id.replace(/^usr_/, "")}`);
}
