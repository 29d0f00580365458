import { createMiddleware } from "hono/factory";
import { clientIpFrom, clientLimitKey, truncateIp } from "../client-ip";
import type { AppBindings } from "../types";

export function clientAddress() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const ip = clientIpFrom(c.req.raw.headers);
    c.set("clientIp", ip);
    c.set("clientNetwork", truncateIp(ip));
    c.set("clientKey", clientLimitKey(ip));
    await next();
  });
}
