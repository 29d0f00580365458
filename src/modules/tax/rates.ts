/** The tax rate of an address: its region's when there is one, else its country's, else none (0). */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { taxRates } from "./tables";

export type TaxRateRow = typeof taxRates.$inferSelect;

type Value = string | SQL;

/** The rates that may apply to a country and region (values, columns or subqueries), as a query. */
export function ratesForAddressQuery(db: Database, country: Value, region: Value) {
  return db
    .select()
    .from(taxRates)
    .where(and(eq(taxRates.country, country), sql`${taxRates.region} in ('', upper(trim(coalesce(${region}, ''))))`));
}

/** The rate that applies among those the query found: the region's over the country's. */
export function pickRate(rates: readonly TaxRateRow[]): TaxRateRow | null {
  return rates.find((rate) => rate.region !== "") ?? rates[0] ?? null;
}
