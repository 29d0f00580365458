import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono/types";
import type { AppConfig } from "../../config";
import type { AppBindings } from "../types";

const ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID", "If-None-Match"];
const EXPOSE_HEADERS = ["X-Request-ID", "Location", "Retry-After", "ETag", "WWW-Authenticate", "Idempotent-Replayed"];
const ALLOW_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

export interface CorsOptions {
  /** Headers a client both sends and reads besides the standard ones: a module's own token header (a guest cart's). */
  tokenHeaders?: readonly string[];
}

/**
 * CORS from the `CORS_ORIGINS` allowlist: a listed origin is echoed with
 * credentials allowed; an unlisted one (or a request with no Origin) gets no
 * Access-Control-* header at all, on simple requests and preflights alike (hono's
 * `cors` would still send Allow-Credentials, Expose-Headers and, on a preflight,
 * Allow-Methods/Allow-Headers/Max-Age). Every answer carries `Vary: Origin`, since
 * it depends on it. `*` (only accepted outside production) is sent as `*` and
 * never with credentials.
 */
export function corsFromConfig({ tokenHeaders = [] }: CorsOptions = {}) {
  const handlers = new WeakMap<AppConfig, MiddlewareHandler>();
  return createMiddleware<AppBindings>(async (c, next) => {
    const config = c.var.config;
    const { origins, allowAny } = config.cors;
    const origin = c.req.header("origin");
    if (!allowAny && (origin === undefined || !origins.includes(origin))) {
      if (c.req.method === "OPTIONS") {
        // A preflight is answered here, as for a listed origin, but grants nothing: the browser refuses the request.
        c.header("Vary", "Origin", { append: true });
        return c.body(null, 204);
      }
      await next();
      c.header("Vary", "Origin", { append: true });
      return;
    }
    let handler = handlers.get(config);
    if (!handler) {
      handler = cors({
        origin: allowAny ? "*" : (requestOrigin) => (origins.includes(requestOrigin) ? requestOrigin : null),
        credentials: !allowAny,
        allowHeaders: [...ALLOW_HEADERS, ...tokenHeaders],
        allowMethods: ALLOW_METHODS,
        exposeHeaders: [...EXPOSE_HEADERS, ...tokenHeaders],
        maxAge: 600,
      });
      handlers.set(config, handler);
    }
    return handler(c, next);
  });
}
