import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { createRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { OrderSchema } from "./schemas";

const OrderLinkParams = z.object({
  token: z.string().openapi({ description: "The `token` of the link in an order email" }),
});

/** Where order links are read; the segment after it is the link's token, which the access log must not keep. */
export const ORDER_LINKS_PATH = "/api/order-links/";

export const getOrderByLink = createRoute({
  method: "get",
  path: `${ORDER_LINKS_PATH}{token}`,
  tags: ["Orders"],
  summary: "One order, read with the signed link of its emails (no account needed)",
  description:
    "Every order email links to `{PUBLIC_APP_URL}/orders/view?token=…`; the storefront's page calls this route with that token. The link is signed (HMAC) and works for `ORDER_LINK_TTL_DAYS` after the email was sent; it opens this one order and nothing else. Answers are never cached.",
  // The checkout limiter's binding, under its own key prefix: reading orders by link never eats into checkouts.
  middleware: [rateLimit({ limiter: (env) => env.CHECKOUT_LIMITER, action: "order_link" })] as const,
  request: { params: OrderLinkParams },
  responses: {
    200: jsonContent(OrderSchema, "The order"),
    404: problemContent("Not a link this API signed (tampered, truncated), or its order no longer exists"),
    410: problemContent("A genuine link that has expired (`link_expired`): a newer order email has a fresh one"),
    429: problemContent("Too many requests from this client"),
  },
});

export type GetOrderByLinkRoute = typeof getOrderByLink;
