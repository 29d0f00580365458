import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { type OrderLinkCheck, orderLinkKey, verifyOrderLink } from "./order-links";
import type { GetOrderByLinkRoute } from "./order-links.routes";
import { loadOrder } from "./views";

const notFound = () => new ApiError(404, "not_found", "No such order link.");

export const getOrderByLink: AppRouteHandler<GetOrderByLinkRoute> = async (c) => {
  const { token } = c.req.valid("query");
  const { db, clock, config } = c.var;
  // Links sent before a JWT_SECRET rotation keep working while the previous secret is still accepted.
  const secrets = [config.jwt.secret, config.jwt.previousSecret].filter((secret) => secret !== undefined);
  let check: OrderLinkCheck = { ok: false, reason: "invalid" };
  for (const secret of secrets) {
    check = await verifyOrderLink(token, await orderLinkKey(secret), clock.now());
    if (check.ok || check.reason === "expired") break;
  }
  c.header("Cache-Control", "no-store");
  if (!check.ok && check.reason === "expired") {
    throw new ApiError(
      410,
      "link_expired",
      "This order link has expired; a newer email about the order has a fresh one.",
    );
  }
  if (!check.ok) throw notFound();
  const order = await loadOrder(db, check.orderId);
  if (!order) throw notFound();
  // Whoever holds the link sees the order, not who moved it: no account or admin ids.
  const events = order.events.map((event) => ({ ...event, actor_id: null }));
  return c.json({ ...order, events }, 200);
};
