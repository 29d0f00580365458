import { env } from "cloudflare:workers";
import { SessionGate } from "../../../src/modules/accounts/session-gate";
import { verifyAccessToken } from "../../../src/modules/accounts/tokens";
import { UserAccess } from "../../../src/modules/cart/access";
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

/** The session check of a request made with `token`, as `requireAuth` builds it, for calling checkout directly. */
export async function sessionOf(services: OrderServices, token: string): Promise<UserAccess> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error("test configuration is invalid");
  const claims = await verifyAccessToken(token, loaded.config.jwt);
  const session = new SessionGate(services.db, claims, {
    demotedAdmin: "reject",
    logger: services.logger,
    now: () => new Date(),
  });
  return new UserAccess(services.db, session);
}
