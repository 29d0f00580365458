import { createMiddleware } from "hono/factory";

/**
 * Responses are `no-store` unless a handler chose a caching policy, and a
 * request that carried credentials is always `no-store`: personal data must
 * not sit in shared or browser caches.
 */
export function noStoreByDefault() {
  return createMiddleware(async (c, next) => {
    await next();
    if (c.req.header("Authorization") !== undefined || !c.res.headers.has("Cache-Control")) {
      c.res.headers.set("Cache-Control", "no-store");
    }
  });
}
