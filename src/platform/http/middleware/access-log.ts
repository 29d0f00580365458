import { createMiddleware } from "hono/factory";
import { createLogger } from "../../logger";
import type { AppBindings } from "../types";

/**
 * One structured line per request: method, path (never the query string,
 * which may carry secrets), status, duration and request id. Also hands the
 * request-scoped logger to later middleware and handlers.
 */
export function accessLog() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const started = performance.now();
    const logger = createLogger({ request_id: c.var.requestId });
    c.set("logger", logger);
    await next();
    logger.info("request", {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    });
  });
}
