import { createMiddleware } from "hono/factory";
import { loadConfig } from "../../config";
import { ApiError } from "../problem";
import type { AppBindings } from "../types";

const reported = new WeakSet<object>();

/**
 * Hands the parsed configuration to the request. A broken configuration makes
 * every request a 500 problem, and is logged once by variable name: never by
 * value, since the values are secrets.
 */
export function configuration() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const result = loadConfig(c.env);
    if (!result.ok) {
      if (!reported.has(c.env)) {
        reported.add(c.env);
        c.var.logger.error("configuration_error", { invalid: result.problems });
      }
      throw new ApiError(500, "configuration_error", "The service is misconfigured and cannot handle requests.", {
        title: "Configuration Error",
      });
    }
    c.set("config", result.config);
    await next();
  });
}
