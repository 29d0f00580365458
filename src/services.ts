/**
 * The services every entry point shares (HTTP requests, the cron trigger and
 * the queue consumer), built one way from the parsed configuration.
 */

import { StockService } from "./modules/inventory/stock-service";
import { PaymentEventIntake, type QueuedEvent } from "./modules/payments/events";
import { createPaymentProvider, type PaymentProvider } from "./modules/payments/provider";
import type { AppConfig } from "./platform/config";
import { createDb, type Database } from "./platform/db/client";

export interface CoreServices {
  db: Database;
  stock: StockService;
  payments: PaymentProvider;
  paymentEvents: PaymentEventIntake;
}

export function coreServices(config: AppConfig, env: Env): CoreServices {
  const db = createDb(config.database);
  const paymentEvents = new PaymentEventIntake(db, env.PAYMENT_EVENTS as Queue<QueuedEvent>);
  // The mock provider's events take the webhook's path: recorded, queued, processed by the consumer.
  const payments = createPaymentProvider(config.stripeSecretKey, async (event) => {
    await paymentEvents.receive(event);
  });
  return { db, stock: new StockService(env.PRODUCT_STOCK), payments, paymentEvents };
}
