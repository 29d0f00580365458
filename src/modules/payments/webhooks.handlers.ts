import { inBackground } from "../../platform/http/background";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { PaymentEventSchema } from "./events";
import { verifyStripeSignature } from "./webhook-signature";
import { MAX_WEBHOOK_BYTES, type StripeWebhookRoute } from "./webhooks.routes";

const tooLarge = () => new ApiError(413, "payload_too_large", `The request body exceeds ${MAX_WEBHOOK_BYTES} bytes.`);

export const stripeWebhook: AppRouteHandler<StripeWebhookRoute> = async (c) => {
  const { config, paymentEvents, logger } = c.var;
  if (config.stripeWebhookSecrets.length === 0) {
    logger.error("webhook_secret_missing", { endpoint: "stripe" });
    throw new ApiError(500, "configuration_error", "Webhooks are not configured on this deployment.", {
      title: "Configuration Error",
    });
  }
  if (Number(c.req.header("content-length") ?? 0) > MAX_WEBHOOK_BYTES) throw tooLarge();
  // The exact bytes Stripe signed: parsing first and re-serializing would change them.
  const rawBody = new Uint8Array(await c.req.arrayBuffer());
  if (rawBody.byteLength > MAX_WEBHOOK_BYTES) throw tooLarge();

  // One answer for every way a signature can be wrong: the caller learns nothing about which.
  const verified = await verifyStripeSignature(c.req.header("stripe-signature"), rawBody, config.stripeWebhookSecrets);
  if (!verified) throw new ApiError(400, "invalid_signature", "The webhook signature could not be verified.");

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(rawBody));
  } catch {
    throw new ApiError(400, "invalid_event", "The webhook body is not a JSON event.");
  }
  const event = PaymentEventSchema.safeParse(parsed);
  if (!event.success) throw new ApiError(400, "invalid_event", "The webhook body is not a JSON event.");

  const { duplicate } = await paymentEvents.receive(event.data, {
    later: (work) => inBackground(c, "payment_event_queued", work),
  });
  return c.json({ received: true as const, duplicate }, 200);
};
