import { createMiddleware } from "hono/factory";
import { ApiError } from "../problem";
import type { AppBindings, AppVariables } from "../types";

/**
 * Routes that exist only in development (and, with `when`, only while it
 * holds): anywhere else they answer the same 404 as a path that never
 * existed, before any authentication would reveal them.
 */
export function developmentOnly(options: { when?: (variables: AppVariables) => boolean } = {}) {
  return createMiddleware<AppBindings>(async (c, next) => {
    if (!c.var.config.isDevelopment || (options.when && !options.when(c.var))) {
      throw new ApiError(404, "not_found", `No route matches ${c.req.method} ${new URL(c.req.url).pathname}.`);
    }
    await next();
  });
}
