import { IdempotencyHeaderSchema, idempotent } from "../../platform/http/idempotency";
import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { pageSchema } from "../../platform/http/pagination";
import { RefundRequestSchema, RefundSchema, WebhookEventsQuerySchema, WebhookEventViewSchema } from "./schemas";

export const refundOrder = defineRoute({
  operationId: "adminRefundOrder",
  tag: "Admin: orders",
  access: "admin",
  method: "post",
  path: "/api/admin/orders/{id}/refund",
  summary: "Refund a paid order, in full or in part",
  description:
    "Asks the processor for the refund (keyed by `Idempotency-Key`: a retry never refunds twice) and answers 202. The order becomes `partially_refunded` or `refunded` when the processor confirms it (`charge.refunded`), and `restock` puts its items back on hand then.",
  middleware: [idempotent({ scope: (c) => c.var.auth.user.id })] as const,
  request: {
    params: z.object({ id: z.string().min(1).max(64).openapi({ description: "The order's id" }) }),
    headers: IdempotencyHeaderSchema,
    body: jsonBody(RefundRequestSchema),
  },
  responses: {
    202: jsonContent(RefundSchema, "Requested"),
    404: problemContent("No such order"),
    409: problemContent("The order is not in a refundable status (the problem names it), or the key is in flight"),
    422: problemContent(
      "Invalid input; `refund_exceeds_payment` (with `refundable_amount`); `restock` with a partial refund",
    ),
    502: problemContent("The payment provider failed; nothing was refunded"),
  },
});

export const listEvents = defineRoute({
  operationId: "adminListPaymentEvents",
  tag: "Admin: payments",
  access: "admin",
  method: "get",
  path: "/api/admin/payments/events",
  summary: "Payment events as received, newest first; `status=failed` lists the dead-lettered ones",
  request: { query: WebhookEventsQuerySchema },
  responses: {
    200: jsonContent(pageSchema(WebhookEventViewSchema), "A page"),
    422: problemContent("Invalid query"),
  },
});

export const replayEvent = defineRoute({
  operationId: "adminReplayPaymentEvent",
  tag: "Admin: payments",
  access: "admin",
  method: "post",
  path: "/api/admin/payments/events/{id}/replay",
  summary: "Process an event again (a failed one, after fixing what made it fail)",
  request: {
    params: z.object({ id: z.string().min(1).max(255).openapi({ description: "The event's id (Stripe's `evt_…`)" }) }),
  },
  responses: {
    202: jsonContent(WebhookEventViewSchema, "Queued again"),
    404: problemContent("No such event"),
    409: problemContent("Already processed, or being processed now"),
  },
});

export type RefundOrderRoute = typeof refundOrder;
export type ListEventsRoute = typeof listEvents;
export type ReplayEventRoute = typeof replayEvent;
