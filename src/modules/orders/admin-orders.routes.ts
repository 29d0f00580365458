import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import { OrderIdParams, OrderSchema } from "./schemas";
import { ORDER_ATTENTION, ORDER_STATUSES } from "./tables";

const isoDateTime = z.iso.datetime({ offset: true });

const AdminListOrdersQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  user_id: z.string().min(1).max(64).optional(),
  attention: z.enum(ORDER_ATTENTION).optional(),
  from: isoDateTime.optional().openapi({ description: "Created at or after" }),
  to: isoDateTime.optional().openapi({ description: "Created before" }),
});

const ADMIN_TARGETS = ["processing", "shipped", "delivered", "cancelled"] as const;

const TransitionSchema = z
  .strictObject({
    to: z.enum(ADMIN_TARGETS),
    note: z.string().trim().max(500).optional(),
    tracking_reference: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "The carrier's reference, with `to: shipped` only; shown to the shopper and emailed" }),
  })
  .refine((body) => body.tracking_reference === undefined || body.to === "shipped", {
    path: ["tracking_reference"],
    message: "only an order that ships gets a tracking reference",
  })
  .openapi("OrderTransitionRequest");

const AdminOrderSchema = OrderSchema.extend({
  user_id: z.string().nullable().openapi({ description: "The account; null for a guest order" }),
  attention: z
    .enum(ORDER_ATTENTION)
    .nullable()
    .openapi({ description: "Needs a person: paid a different amount (`payment_mismatch`) or `disputed`" }),
  payment_status: z.string().nullable(),
}).openapi("AdminOrder");

export const listOrders = defineRoute({
  operationId: "adminListOrders",
  tag: "Admin: orders",
  access: "admin",
  method: "get",
  path: "/api/admin/orders",
  summary: "All orders, newest first",
  request: { query: AdminListOrdersQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AdminOrderSchema), "A page"),
    422: problemContent("Invalid query"),
  },
});

export const getOrder = defineRoute({
  operationId: "adminGetOrder",
  tag: "Admin: orders",
  access: "admin",
  method: "get",
  path: "/api/admin/orders/{id}",
  summary: "One order with its history",
  request: { params: OrderIdParams },
  responses: { 200: jsonContent(AdminOrderSchema, "The order"), 404: problemContent("No such order") },
});

export const transition = defineRoute({
  operationId: "adminTransitionOrder",
  tag: "Admin: orders",
  access: "admin",
  method: "post",
  path: "/api/admin/orders/{id}/transition",
  summary: "Move an order along: paid → processing → shipped (with its tracking reference) → delivered, or cancel it",
  description:
    "Cancelling an order awaiting payment releases its reservations and cancels its PaymentIntent. A paid order is not cancelled here: refund it (`POST /api/admin/orders/{id}/refund` with `restock: true`), which answers 409 `refund_required` here. Shipping emails the shopper (with the tracking reference when given), after the move.",
  request: { params: OrderIdParams, body: jsonBody(TransitionSchema) },
  responses: {
    200: jsonContent(AdminOrderSchema, "The order after the transition"),
    404: problemContent("No such order"),
    409: problemContent(
      "Not allowed from the current status (the problem names it), or `refund_required` for a paid order",
    ),
    422: problemContent("Invalid input"),
  },
});

export type AdminListOrdersRoute = typeof listOrders;
export type AdminGetOrderRoute = typeof getOrder;
export type TransitionRoute = typeof transition;
