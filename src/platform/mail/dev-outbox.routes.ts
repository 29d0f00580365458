import { defineRoute, jsonContent, problemContent, z } from "../http/openapi";

const OutboxMessageSchema = z
  .object({
    id: z.string(),
    at: z.string().openapi({ format: "date-time" }),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
  })
  .openapi("OutboxMessage");

export const listOutbox = defineRoute({
  operationId: "adminListDevOutbox",
  tag: "Development",
  access: "admin",
  method: "get",
  path: "/api/admin/dev/outbox",
  summary: "Emails the development outbox received (ENVIRONMENT=development only; 404 elsewhere)",
  request: {
    query: z.object({
      to: z.string().trim().toLowerCase().max(254).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: jsonContent(z.object({ data: z.array(OutboxMessageSchema) }), "Newest first"),
    404: problemContent("Not in development"),
  },
});

export type ListOutboxRoute = typeof listOutbox;
