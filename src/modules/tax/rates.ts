/**
 * The tax rate of an address: its region's when there is one, else its country's, else none (0). A country taxed
 * only by region (no rate for the whole country) needs a region it knows: any other would be taxed at nothing,
 * so such an address is refused rather than priced without tax.
 */
import { eq, type SQL } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { ApiError } from "../../platform/http/problem";
import { taxRates } from "./tables";

export type TaxRateRow = typeof taxRates.$inferSelect;

/** Every rate of a country (a value, column or subquery), as a query. */
export function ratesForCountryQuery(db: Database, country: string | SQL) {
  return db.select().from(taxRates).where(eq(taxRates.country, country));
}

/** The rate for `region` among its country's rates, or the problem of a region the country's rates do not know. */
export function pickRate(
  rates: readonly TaxRateRow[],
  region: string | null,
): { rate: TaxRateRow | null; refusal: ApiError | null } {
  const wanted = region?.trim().toUpperCase();
  // A blank region is the national rate's own (''), so it needs no case of its own.
  const regional = rates.find((candidate) => candidate.region === wanted);
  const rate = regional ?? rates.find((candidate) => candidate.region === "") ?? null;
  if (rate || rates.length === 0) return { rate, refusal: null };
  const regions = rates.map((candidate) => candidate.region).toSorted();
  return {
    rate: null,
    refusal: new ApiError(422, "tax_region_unknown", "Give the address's region: this country is taxed by region.", {
      extensions: { regions },
    }),
  };
}
