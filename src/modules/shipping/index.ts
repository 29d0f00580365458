/** What the shipping module offers the rest of the app. */
export type { ShippingMethodRow } from "./options";
export { methodsForCountryQuery, shippingMethodUnavailable, toPricingShipping } from "./options";
export { SHIPPING_RATE_KINDS } from "./tables";
