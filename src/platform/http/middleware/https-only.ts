import { createMiddleware } from "hono/factory";
import { ApiError } from "../problem";
import type { AppBindings } from "../types";

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * In deployed environments, plain HTTP is never served: safe requests are
 * redirected with 308 (method and body preserved), anything else is refused,
 * since following a redirect would already have sent credentials in the clear.
 */
export function httpsOnly() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const url = new URL(c.req.url);
    if (!c.var.config.isDeployed || url.protocol === "https:") return next();
    if (SAFE_METHODS.has(c.req.method)) {
      url.protocol = "https:";
      return c.redirect(url.toString(), 308);
    }
    throw new ApiError(403, "https_required", "This API is served over HTTPS only.");
  });
}
