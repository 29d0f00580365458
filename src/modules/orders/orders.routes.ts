import { IdempotencyHeaderSchema, idempotent } from "../../platform/http/idempotency";
import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonBody, jsonContent, problemContent } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import { PaymentSchema } from "../payments";
import { CheckoutResultSchema, CheckoutSchema, OrderIdParams, OrderSchema } from "./schemas";

export const checkout = defineRoute({
  operationId: "checkout",
  location: "/api/orders/{id}",
  tag: "Orders",
  access: "cart",
  method: "post",
  path: "/api/orders",
  summary: "Check out the cart",
  description:
    "Snapshots the cart at current prices, reserves the stock and returns the order awaiting payment. Requires an `Idempotency-Key`: the same key and body return the first answer for 24 hours. A shopper has one open order at a time: while one is checking out or awaiting payment, another checkout is refused (409 `open_order_exists`, naming it) until it is paid, cancelled or expired.",
  middleware: [
    rateLimit({ limiter: (env) => env.CHECKOUT_LIMITER, action: "checkout" }),
    rateLimit({
      limiter: (env) => env.GUEST_CHECKOUT_LIMITER,
      action: "guest_checkout",
      when: (c) => c.var.cartAccess.owner.kind === "guest",
    }),
    idempotent({
      // The account, or the guest cart's token hash: the claim rides with the credential's check, and a refused
      // check frees it.
      scope: (c) => {
        const { owner } = c.var.cartAccess;
        return owner.kind === "user" ? owner.userId : `guest:${owner.tokenHash}`;
      },
      replayHeaders: (order) => ({ Location: `/api/orders/${(order as { id: string }).id}` }),
    }),
  ] as const,
  request: { headers: IdempotencyHeaderSchema, body: jsonBody(CheckoutSchema) },
  responses: {
    201: jsonContent(
      CheckoutResultSchema,
      "The order, awaiting payment, with its PaymentIntent's `client_secret` for the storefront (Location: /api/orders/{id})",
    ),
    403: problemContent("Email not verified (when required)"),
    409: problemContent(
      "Not enough stock (`insufficient_stock`; `variants`: each short variant with `requested` and `available`), a product no longer for sale (`product_unavailable`), a variant deleted, taken off sale or repriced during the checkout (`cart_changed`), the key is still in flight, or an open order of yours (`open_order_exists`, with `order_id`)",
    ),
    422: problemContent("Invalid input, empty cart, or the key was used with another request"),
    429: problemContent(
      "Too many checkouts from this client (`CHECKOUT_LIMITER`; a guest's also `GUEST_CHECKOUT_LIMITER`)",
    ),
    502: problemContent(
      "The payment provider failed: nothing was charged, the stock was released, the order is `payment_failed`",
    ),
  },
});

export const listOrders = defineRoute({
  operationId: "listOrders",
  tag: "Orders",
  access: "user",
  method: "get",
  path: "/api/orders",
  summary: "The signed-in user's orders, newest first",
  request: { query: PaginationQuerySchema },
  responses: { 200: jsonContent(pageSchema(OrderSchema), "A page") },
});

export const getOrder = defineRoute({
  operationId: "getOrder",
  tag: "Orders",
  access: "user",
  method: "get",
  path: "/api/orders/{id}",
  summary: "One of the user's orders, with its history",
  request: { params: OrderIdParams },
  responses: {
    200: jsonContent(OrderSchema, "The order"),
    404: problemContent("No such order of yours"),
  },
});

export const cancelOrder = defineRoute({
  operationId: "cancelOrder",
  tag: "Orders",
  access: "user",
  method: "post",
  path: "/api/orders/{id}/cancel",
  summary: "Cancel an order that is awaiting payment; its stock is released",
  request: { params: OrderIdParams },
  responses: {
    200: jsonContent(OrderSchema, "Cancelled"),
    404: problemContent("No such order of yours"),
    409: problemContent("The order is not awaiting payment (the problem names its status)"),
  },
});

export const getPayment = defineRoute({
  operationId: "getOrderPayment",
  tag: "Orders",
  access: "user",
  method: "get",
  path: "/api/orders/{id}/payment",
  summary: "The payment of one of the user's orders",
  description: "Ids, amounts and statuses only: card data never reaches this API.",
  request: { params: OrderIdParams },
  responses: {
    200: jsonContent(PaymentSchema, "The payment as the processor last reported it"),
    404: problemContent("No such order of yours"),
  },
});

export type CheckoutRoute = typeof checkout;
export type ListOrdersRoute = typeof listOrders;
export type GetOrderRoute = typeof getOrder;
export type CancelOrderRoute = typeof cancelOrder;
export type GetPaymentRoute = typeof getPayment;
