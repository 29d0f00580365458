/** What the payments module offers the rest of the app. */

export { PaymentEventIntake } from "./events";
export type { Payment, PaymentProvider } from "./provider";
export { PaymentProviderError } from "./provider";
export { PaymentSchema } from "./schemas";
