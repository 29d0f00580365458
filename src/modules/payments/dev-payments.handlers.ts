import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { shopperOrderQuery } from "../orders";
import type { DrivePaymentRoute } from "./dev-payments.routes";
import { MockPaymentProvider, mockEvent } from "./provider";

export const drivePayment: AppRouteHandler<DrivePaymentRoute> = async (c) => {
  const { order_id: orderId, outcome } = c.req.valid("param");
  const { db, cartAccess, paymentEvents } = c.var;
  const [, [order]] = await cartAccess.check(shopperOrderQuery(db, orderId, cartAccess.owner));
  if (!order) throw new ApiError(404, "not_found", "No such order.");
  if (order.paymentProvider !== "mock" || order.paymentIntentId !== MockPaymentProvider.intentIdFor(order.id)) {
    throw new ApiError(409, "no_mock_payment", "This order has no mock payment to drive.");
  }
  const type = outcome === "succeed" ? "payment_intent.succeeded" : "payment_intent.payment_failed";
  const event = mockEvent(type, {
    id: order.paymentIntentId,
    object: "payment_intent",
    amount: order.totalAmount,
    amount_received: outcome === "succeed" ? order.totalAmount : 0,
    currency: order.currency,
    status: outcome === "succeed" ? "succeeded" : "requires_payment_method",
    metadata: { order_id: order.id },
  });
  await paymentEvents.receive(event);
  return c.json({ event_id: event.id, type }, 202);
};
