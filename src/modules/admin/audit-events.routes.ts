import { AUDIT_ACTIONS } from "../../platform/audit/audit-log";
import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";

const AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.string().openapi({ format: "date-time" }),
    actor_id: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    request_id: z.string().nullable(),
    ip: z.string().nullable().openapi({ description: "Client network (/24 or /48)" }),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEvent");

const isoDateTime = z.iso.datetime({ offset: true });

const ListAuditEventsQuerySchema = PaginationQuerySchema.extend({
  actor_id: z.string().min(1).max(64).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  target_type: z.string().min(1).max(32).optional(),
  target_id: z.string().min(1).max(64).optional(),
  from: isoDateTime.optional().openapi({ description: "Inclusive lower bound on `at`" }),
  to: isoDateTime.optional().openapi({ description: "Exclusive upper bound on `at`" }),
});

export const listAuditEvents = defineRoute({
  operationId: "adminListAuditEvents",
  tag: "Admin: audit",
  access: "admin",
  method: "get",
  path: "/api/admin/audit-events",
  summary: "Audit events, newest first",
  request: { query: ListAuditEventsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AuditEventSchema), "A page of audit events"),
    422: problemContent("Invalid query"),
  },
});

export type ListAuditEventsRoute = typeof listAuditEvents;
