/**
 * The services every entry point shares (HTTP requests, the cron trigger and the queue consumer), built one
 * way from the parsed configuration. Tests replace any of them through `overrides` (a provider that fails at a
 * chosen call, a stock service that loses a Durable Object), so no test patches a prototype.
 */
import { AttemptGuards } from "./modules/accounts";
import { StockService } from "./modules/inventory";
import { createPaymentProvider, PaymentEventIntake, type PaymentProvider, type QueuedEvent } from "./modules/payments";
import { type Clock, systemClock } from "./platform/clock";
import type { AppConfig } from "./platform/config";
import { createDb, type Database } from "./platform/db/client";

export interface CoreServices {
  db: Database;
  stock: StockService;
  attempts: AttemptGuards;
  payments: PaymentProvider;
  paymentEvents: PaymentEventIntake;
  clock: Clock;
}

/** Replaces some services, given the real ones (so a replacement can wrap what it replaces). */
export type ServiceOverrides = (real: CoreServices) => Partial<CoreServices>;

export function coreServices(config: AppConfig, env: Env, overrides?: ServiceOverrides): CoreServices {
  const db = createDb(config.database);
  const queue = env.PAYMENT_EVENTS as Queue<QueuedEvent>;
  const real: CoreServices = {
    db,
    stock: new StockService(env.PRODUCT_STOCK),
    attempts: new AttemptGuards(env.ATTEMPT_GUARD),
    // The mock provider's events take the webhook's path: recorded, queued, processed by the consumer (the one
    // in use, so a replaced database or intake sees them too).
    payments: createPaymentProvider(config.stripeSecretKey, async (event) => {
      await services.paymentEvents.receive(event);
    }),
    paymentEvents: new PaymentEventIntake(db, queue),
    clock: systemClock,
  };
  const replaced = overrides?.(real) ?? {};
  // A replaced database is the one the event intake records into, unless the intake is replaced as well.
  const intake = replaced.db ? { paymentEvents: new PaymentEventIntake(replaced.db, queue) } : {};
  const services: CoreServices = { ...real, ...intake, ...replaced };
  return services;
}
