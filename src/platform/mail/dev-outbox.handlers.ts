import { desc, eq, sql } from "drizzle-orm";
import { ApiError } from "../http/problem";
import type { AppRouteHandler } from "../http/types";
import type { ListOutboxRoute } from "./dev-outbox.routes";
import { devOutbox } from "./tables";

export const listOutbox: AppRouteHandler<ListOutboxRoute> = async (c) => {
  // Outside development the route does not exist, as far as any client can tell.
  if (!c.var.config.isDevelopment) {
    throw new ApiError(404, "not_found", `No route matches GET ${new URL(c.req.url).pathname}.`);
  }
  const { to, limit } = c.req.valid("query");
  const rows = await c.var.db
    .select()
    .from(devOutbox)
    .where(to ? eq(devOutbox.to, to) : undefined)
    .orderBy(desc(devOutbox.at), sql`rowid desc`)
    .limit(limit);
  return c.json({ data: rows }, 200);
};
