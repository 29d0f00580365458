import { createMiddleware } from "hono/factory";
import { clientIpFrom, truncateIp } from "../client-ip";
import type { AppBindings } from "../types";

export function clientAddress() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const ip = clientIpFrom(c.req.raw.headers);
    c.set("clientIp", ip);
    c.set("clientNetwork", truncateIp(ip));
    await next();
  });
}
