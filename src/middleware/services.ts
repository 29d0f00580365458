import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import type { AppBindings } from "../lib/types";

/** Per-request services: one database client per request, shared by every handler and middleware after this one. */
export function services() {
  return createMiddleware<AppBindings>(async (c, next) => {
    c.set("db", createDb(c.var.config.database));
    await next();
  });
}
