/** What the pricing module offers the rest of the app: one pure function for every total. */
export type { PricedOrder, PricingDiscount, PricingInput, PricingLine, PricingShipping } from "./totals";
export { priceOrder, refundedTaxFor } from "./totals";
