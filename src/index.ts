import { createApp } from "./app";
import { createDb } from "./db/client";
import { loadConfig } from "./env";
import { StockService } from "./inventory/stock-service";
import { createLogger } from "./lib/logger";
import { expireOverdueOrders } from "./orders/expiry";

export { ProductStock } from "./durable-objects/product-stock";

const app = createApp();

export default {
  fetch: app.fetch,

  /** The cron trigger (every minute): unpaid orders past their deadline expire and give their stock back. */
  async scheduled(controller, env, ctx) {
    const logger = createLogger({ cron: controller.cron });
    const config = loadConfig(env);
    if (!config.ok) {
      logger.error("configuration_error", { invalid: config.problems });
      return;
    }
    const services = { db: createDb(config.config.database), stock: new StockService(env.PRODUCT_STOCK), logger };
    ctx.waitUntil(expireOverdueOrders(services, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env>;
