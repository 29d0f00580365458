/** What the tax module offers the rest of the app. */
export type { TaxRateRow } from "./rates";
export { pickRate, ratesForCountryQuery } from "./rates";
