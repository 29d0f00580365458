import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import { auditEvents } from "../../platform/audit/tables";
import { newestFirst, paginate } from "../../platform/http/pagination";
import type { AppRouteHandler } from "../../platform/http/types";
import type { ListAuditEventsRoute } from "./audit-events.routes";

const NEWEST_FIRST = newestFirst(auditEvents.at, auditEvents.id);

export const listAuditEvents: AppRouteHandler<ListAuditEventsRoute> = async (c) => {
  const query = c.req.valid("query");
  const conditions: (SQL | undefined)[] = [];
  if (query.actor_id) conditions.push(eq(auditEvents.actorId, query.actor_id));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.target_type) conditions.push(eq(auditEvents.targetType, query.target_type));
  if (query.target_id) conditions.push(eq(auditEvents.targetId, query.target_id));
  if (query.from) conditions.push(gte(auditEvents.at, new Date(query.from).toISOString()));
  if (query.to) conditions.push(lt(auditEvents.at, new Date(query.to).toISOString()));
  conditions.push(NEWEST_FIRST.after(query.cursor));
  const rows = await c.var.db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(query.limit + 1);
  const { page, nextCursor } = paginate(rows, query.limit, (event) => [event.at, event.id]);
  return c.json(
    {
      data: page.map((event) => ({
        id: event.id,
        at: event.at,
        actor_id: event.actorId,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId,
        request_id: event.requestId,
        ip: event.ip,
        details: event.details,
      })),
      next_cursor: nextCursor,
    },
    200,
  );
};
