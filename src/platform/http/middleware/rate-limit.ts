import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../problem";
import { withTrait } from "../route-traits";
import type { AppBindings } from "../types";

export interface RateLimitOptions {
  /** Which binding counts this action (declared under [[ratelimits]] in wrangler.toml). */
  limiter: (env: Env) => RateLimit;
  /** Prefix of the key, so actions sharing a binding never share a budget. */
  action: string;
  /** The binding's period, sent as Retry-After. */
  periodSeconds?: number;
  /** Counts only the requests this holds for (e.g. a guest's, on a route accounts use too); default all. */
  when?: (c: Context<AppBindings>) => boolean;
}

/**
 * Per-client limit keyed on `c.var.clientKey` (from CF-Connecting-IP, never X-Forwarded-For: an IPv4 address,
 * or an IPv6 address's /64); over it → 429 with Retry-After.
 */
export function rateLimit({ limiter, action, periodSeconds = 60, when }: RateLimitOptions) {
  const middleware = createMiddleware<AppBindings>(async (c, next) => {
    if (when && !when(c)) return next();
    const { success } = await limiter(c.env).limit({ key: `${action}:${c.var.clientKey}` });
    if (!success) {
      c.var.logger.warn("rate_limited", { action, network: c.var.clientNetwork });
      throw new ApiError(429, "rate_limited", "Too many requests. Try again later.", {
        headers: { "Retry-After": String(periodSeconds) },
      });
    }
    await next();
  });
  return withTrait(middleware, "rate_limited");
}
