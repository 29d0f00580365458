import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { OrderSchema } from "./schemas";

// The token is a credential: in the query string, which no log line ever carries (only paths are logged).
const OrderLinkQuery = z.object({
  token: z.string().min(1).max(512).openapi({ description: "The `token` of the link in an order email" }),
});

export const getOrderByLink = defineRoute({
  operationId: "getOrderByLink",
  tag: "Orders",
  access: "public",
  method: "get",
  path: "/api/order-links",
  summary: "One order, read with the signed link of its emails (no account needed)",
  description:
    "Every order email links to `{PUBLIC_APP_URL}/orders/view?token=…`; the storefront's page calls this route with that token. The link is signed (HMAC) and works for `ORDER_LINK_TTL_DAYS` after the email was sent; it opens this one order and nothing else. Answers are never cached.",
  // The checkout limiter's binding, under its own key prefix: reading orders by link never eats into checkouts.
  middleware: [rateLimit({ limiter: (env) => env.CHECKOUT_LIMITER, action: "order_link" })] as const,
  request: { query: OrderLinkQuery },
  responses: {
    200: jsonContent(OrderSchema, "The order"),
    422: problemContent("No token"),
    404: problemContent("Not a link this API signed (tampered, truncated), or its order no longer exists"),
    410: problemContent("A genuine link that has expired (`link_expired`): a newer order email has a fresh one"),
    429: problemContent("Too many requests from this client"),
  },
});

export type GetOrderByLinkRoute = typeof getOrderByLink;
