/** What the payments module offers the rest of the app. */

export type { QueuedEvent } from "./events";
export { PaymentEventIntake } from "./events";
export type { Payment, PaymentProvider } from "./provider";
export { createPaymentProvider, PaymentProviderError } from "./provider";
export { consumePaymentEvents } from "./queue-consumer";
export { PaymentSchema } from "./schemas";
