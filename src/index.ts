import { createApp } from "./app";
import { deleteExpiredGuestCarts } from "./modules/cart";
import { expireOverdueOrders } from "./modules/orders";
import { consumePaymentEvents } from "./modules/payments";
import { loadConfig } from "./platform/config";
import { backgroundOf } from "./platform/http/background";
import { createLogger, type Logger } from "./platform/logger";
import { createMailer } from "./platform/mail/mailer";
import { coreServices, type ServiceOverrides } from "./services";

export { AttemptGuard } from "./modules/accounts/attempt-guard";
export { ProductStock } from "./modules/inventory/product-stock";

/**
 * The Worker: HTTP, the cron trigger and the queue consumer over one set of services. `overrides` exists for
 * tests that inject a fault into one service; the deployed Worker is `createWorker()`.
 */
export function createWorker(overrides?: ServiceOverrides) {
  const app = createApp({ overrides });

  /** The services of work that no request started (cron, queue), or null when the configuration is invalid. */
  function backgroundServices(env: Env, logger: Logger) {
    const loaded = loadConfig(env);
    if (!loaded.ok) {
      logger.error("configuration_error", { invalid: loaded.problems });
      return null;
    }
    const core = coreServices(loaded.config, env, overrides);
    return { ...core, mailer: createMailer(loaded.config, core.db), logger, config: loaded.config };
  }

  return {
    fetch: app.fetch,

    /**
     * The cron trigger (every minute): unpaid orders past their deadline, and orders whose checkout never
     * finished, expire and give their stock back; guest carts past their expiry are deleted; payment events whose queue message was lost are queued again.
     */
    async scheduled(controller, env, ctx) {
      const logger = createLogger({ cron: controller.cron });
      const services = backgroundServices(env, logger);
      if (!services) return;
      const now = new Date(controller.scheduledTime);
      ctx.waitUntil(expireOverdueOrders({ ...services, clock: { now: () => now } }));
      ctx.waitUntil(
        deleteExpiredGuestCarts(services.db, now).then((count) => {
          if (count > 0) logger.info("guest_carts_expired", { count });
        }),
      );
      ctx.waitUntil(
        services.paymentEvents.requeueStalled(now).then((count) => {
          if (count > 0) logger.warn("payment_events_requeued", { count });
        }),
      );
    },

    /** Payment events, verified and recorded by the webhook; and their dead letters. */
    async queue(batch, env, ctx) {
      const logger = createLogger({ queue: batch.queue });
      const services = backgroundServices(env, logger);
      // Invalid configuration: nothing can be processed, so every message waits and retries.
      if (!services) return batch.retryAll({ delaySeconds: 60 });
      // Emails about the orders events moved go out after the move, without holding up or failing the event.
      await consumePaymentEvents(batch, {
        ...services,
        background: backgroundOf((work) => ctx.waitUntil(work), logger),
      });
    },
  } satisfies ExportedHandler<Env>;
}

export default createWorker();
