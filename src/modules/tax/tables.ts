import { sql } from "drizzle-orm";
import { check, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Tax rates by country, and optionally by region within it (a region's rate replaces the country's). No rate
 * for an address's country: no tax.
 */
export const taxRates = sqliteTable(
  "tax_rates",
  {
    id: text("id").primaryKey(),
    /** ISO 3166-1 alpha-2, upper case. */
    country: text("country").notNull(),
    /** Upper case as given in addresses ("CA"); '' for the whole country. */
    region: text("region").notNull().default(""),
    name: text("name").notNull(),
    /** Basis points: 2000 is 20 %. */
    rateBps: integer("rate_bps").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("tax_rates_country_region_unique").on(table.country, table.region),
    check("tax_rates_rate", sql`${table.rateBps} between 0 and 10000`),
  ],
);
