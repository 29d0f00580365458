import { z } from "@hono/zod-openapi";
import { PaginationQuerySchema } from "../../platform/http/pagination";
import { ORDER_STATUSES } from "../orders";
import { WEBHOOK_EVENT_STATUSES } from "./tables";

export const PaymentSchema = z
  .object({
    order_id: z.string(),
    order_status: z.enum(ORDER_STATUSES),
    provider: z.string().nullable().openapi({ example: "stripe" }),
    intent_id: z.string().nullable().openapi({ example: "pi_3Qx…" }),
    status: z.string().nullable().openapi({ description: "The processor's payment status, as its events reported it" }),
    amount: z.number().int(),
    refunded_amount: z.number().int(),
    currency: z.string(),
  })
  .openapi("Payment");

export const RefundRequestSchema = z
  .strictObject({
    amount: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: "In the smallest currency unit; omitted: everything not yet refunded" }),
    reason: z.string().trim().min(1).max(200),
    restock: z
      .boolean()
      .openapi({ description: "Put the order's items back on hand (only with a refund of the rest in full)" }),
  })
  .openapi("RefundRequest");

export const RefundSchema = z
  .object({
    id: z.string(),
    order_id: z.string(),
    amount: z.number().int(),
    reason: z.string(),
    restock: z.boolean(),
    status: z.enum(["requested", "succeeded", "failed"]),
    provider_refund_id: z.string().nullable(),
    requested_by: z.string().nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Refund");

export const WebhookEventViewSchema = z
  .object({
    id: z.string().openapi({ example: "evt_1Qx…" }),
    type: z.string().openapi({ example: "payment_intent.succeeded" }),
    status: z.enum(WEBHOOK_EVENT_STATUSES),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    order_id: z.string().nullable(),
    received_at: z.string().openapi({ format: "date-time" }),
    processed_at: z.string().nullable(),
  })
  .openapi("PaymentEvent");

export const WebhookEventsQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(WEBHOOK_EVENT_STATUSES).optional(),
});
