/**
 * `npm run db:seed`: loads the demo catalog into DATABASE_URL (default: the
 * local server). Idempotent: a category whose slug exists, and a product whose
 * first variant's sku exists, are left alone. Then the demo store settings (shipping zones, tax rates, the code
 * WELCOME10), each left alone when it is there.
 * Refuses a remote database unless `--force`, so a production catalog is
 * never filled with demo data by accident.
 */
import { parseArgs } from "node:util";
import { runCommand } from "./cli/command.ts";
import { DEMO_CATALOG } from "./seed/demo-catalog.ts";
import { seedDemoCatalog } from "./seed/seed-demo-catalog.ts";
import { seedStoreSettings } from "./seed/seed-store-settings.ts";

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
// An empty DATABASE_URL counts as unset.
const url = process.env.DATABASE_URL || `http://127.0.0.1:${process.env.LIBSQL_PORT || 8080}`;
const remote = !LOCAL_HOST.test(new URL(url).hostname) || process.env.ENVIRONMENT === "production";
if (remote && !values.force) {
  console.error(`db:seed: ${new URL(url).host} is not a local database; refusing to load demo data (use --force).`);
  process.exit(1);
}

await runCommand("db:seed", { databaseUrl: url }, async () => {
  const added = await seedDemoCatalog(url, process.env.DATABASE_AUTH_TOKEN || undefined, process.env.STORE_CURRENCY);
  console.log(
    `Demo catalog: ${added} products added, ${DEMO_CATALOG.length - added} already there (${new URL(url).host}).`,
  );
  const zones = await seedStoreSettings(url, process.env.DATABASE_AUTH_TOKEN || undefined);
  console.log(`Demo store settings: ${zones} shipping zones added, with their methods; VAT for GB and FR; WELCOME10.`);
});
