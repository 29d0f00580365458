import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono/types";
import type { AppConfig } from "../../config";
import type { AppBindings } from "../types";

const ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID", "If-None-Match"];
const EXPOSE_HEADERS = ["X-Request-ID", "Location", "Retry-After", "ETag", "WWW-Authenticate"];
const ALLOW_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/**
 * CORS from the `CORS_ORIGINS` allowlist: a listed origin is echoed with
 * credentials allowed; an unlisted one gets no CORS headers at all. `*` (only
 * accepted outside production) is sent as `*` and never with credentials.
 */
export function corsFromConfig() {
  const handlers = new WeakMap<AppConfig, MiddlewareHandler>();
  return createMiddleware<AppBindings>(async (c, next) => {
    const config = c.var.config;
    let handler = handlers.get(config);
    if (!handler) {
      const { origins, allowAny } = config.cors;
      handler = cors({
        origin: allowAny ? "*" : (origin) => (origins.includes(origin) ? origin : null),
        credentials: !allowAny,
        allowHeaders: ALLOW_HEADERS,
        allowMethods: ALLOW_METHODS,
        exposeHeaders: EXPOSE_HEADERS,
        maxAge: 600,
      });
      handlers.set(config, handler);
    }
    return handler(c, next);
  });
}
