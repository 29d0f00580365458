import { desc, eq, sql } from "drizzle-orm";
import { devOutbox } from "../../db/schema";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import type { ListOutboxRoute } from "./dev-outbox.routes";

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
