import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";

export const MAX_WEBHOOK_BYTES = 64 * 1024;

export const stripeWebhook = defineRoute({
  operationId: "stripeWebhook",
  tag: "Webhooks",
  access: "public",
  method: "post",
  path: "/api/webhooks/stripe",
  summary: "Stripe events (signed with STRIPE_WEBHOOK_SECRET)",
  description:
    "Stripe's JSON event as sent, at most 64 KiB. The `Stripe-Signature` header must hold a `v1` HMAC-SHA256 of `t.rawBody` under a configured secret, with `t` within 300 seconds of now. The verified event is recorded and queued; processing happens in the background, exactly once per event id. The body is read raw and not described here: it is whatever Stripe signed.",
  request: {
    headers: z.object({
      "stripe-signature": z.string().optional().openapi({ example: "t=1700000000,v1=5257a869e7…" }),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ received: z.literal(true), duplicate: z.boolean() }),
      "Recorded and queued (or seen before: `duplicate`)",
    ),
    400: problemContent("Missing or invalid signature, stale or future timestamp, or not an event"),
    413: problemContent("Body over 64 KiB"),
    500: problemContent("No webhook secret configured: nothing is accepted"),
  },
});

export type StripeWebhookRoute = typeof stripeWebhook;
