import { env } from "cloudflare:workers";
import type { OrderServices } from "../../../src/modules/orders/services";
import { loadConfig } from "../../../src/platform/config";
import { createLogger } from "../../../src/platform/logger";
import { coreServices, type ServiceOverrides } from "../../../src/services";

/** The services the Worker gives order work (checkout, the cron's sweep), for calling domain functions directly. */
export function orderServices(overrides?: ServiceOverrides): OrderServices {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error("test configuration is invalid");
  return {
    ...coreServices(loaded.config, env, overrides),
    logger: createLogger({ test: "order-services" }),
    config: loaded.config,
  };
}
