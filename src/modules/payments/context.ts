import type { PaymentEventIntake } from "./events";
import type { PaymentProvider } from "./provider";

declare module "../../platform/http/types" {
  interface AppVariables {
    payments: PaymentProvider;
    /** Where verified payment events are recorded and queued. */
    paymentEvents: PaymentEventIntake;
  }
}
