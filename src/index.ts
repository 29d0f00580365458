import { createApp } from "./app";
import { expireOverdueOrders } from "./modules/orders/expiry";
import { consumePaymentEvents } from "./modules/payments/queue-consumer";
import { loadConfig } from "./platform/config";
import { createLogger, type Logger } from "./platform/logger";
import { coreServices } from "./services";

export { ProductStock } from "./modules/inventory/product-stock";

const app = createApp();

/** The services of work that no request started (cron, queue), or null when the configuration is invalid. */
function backgroundServices(env: Env, logger: Logger) {
  const config = loadConfig(env);
  if (!config.ok) {
    logger.error("configuration_error", { invalid: config.problems });
    return null;
  }
  return { ...coreServices(config.config, env), logger, reservationTtlSeconds: config.config.reservationTtlSeconds };
}

export default {
  fetch: app.fetch,

  /**
   * The cron trigger (every minute): unpaid orders past their deadline expire
   * and give their stock back; payment events whose queue message was lost are queued again.
   */
  async scheduled(controller, env, ctx) {
    const logger = createLogger({ cron: controller.cron });
    const services = backgroundServices(env, logger);
    if (!services) return;
    const now = new Date(controller.scheduledTime);
    ctx.waitUntil(expireOverdueOrders(services, now));
    ctx.waitUntil(
      services.paymentEvents.requeueStalled(now).then((count) => {
        if (count > 0) logger.warn("payment_events_requeued", { count });
      }),
    );
  },

  /** Payment events, verified and recorded by the webhook; and their dead letters. */
  async queue(batch, env, _ctx) {
    const services = backgroundServices(env, createLogger({ queue: batch.queue }));
    // Invalid configuration: nothing can be processed, so every message waits and retries.
    if (!services) return batch.retryAll({ delaySeconds: 60 });
    await consumePaymentEvents(batch, services);
  },
} satisfies ExportedHandler<Env>;
