import { createMiddleware } from "hono/factory";
import { createLogger } from "../../logger";
import type { AppBindings } from "../types";

export interface AccessLogOptions {
  /**
   * Path prefixes whose next segment is a credential (a signed link's token): logged as `[redacted]`, since
   * anyone who reads the logs could otherwise use it.
   */
  secretSegmentsAfter?: readonly string[];
}

/** The path with the segment after any of `prefixes` replaced. */
function redactedPath(path: string, prefixes: readonly string[]): string {
  const prefix = prefixes.find((candidate) => path.startsWith(candidate));
  if (!prefix) return path;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf("/");
  return `${prefix}[redacted]${slash === -1 ? "" : rest.slice(slash)}`;
}

/**
 * One structured line per request: method, path (never the query string,
 * which may carry secrets, and without the credentials some paths carry), status,
 * duration and request id. Also hands the request-scoped logger to later
 * middleware and handlers.
 */
export function accessLog({ secretSegmentsAfter = [] }: AccessLogOptions = {}) {
  return createMiddleware<AppBindings>(async (c, next) => {
    const started = performance.now();
    const logger = createLogger({ request_id: c.var.requestId });
    c.set("logger", logger);
    await next();
    logger.info("request", {
      method: c.req.method,
      path: redactedPath(new URL(c.req.url).pathname, secretSegmentsAfter),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    });
  });
}
