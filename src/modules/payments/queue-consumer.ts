/**
 * The consumer of the payment-events queue and of its dead-letter queue.
 * Messages carry only an event id; the event itself is the verified record
 * in `webhook_events`, so a message can be replayed but never forged.
 */
import { and, eq, notInArray } from "drizzle-orm";
import type { QueuedEvent } from "./events";
import { type EventServices, LEASE_SECONDS, processEvent } from "./process-event";
import { webhookEvents } from "./tables";

const MAX_DELAY_SECONDS = 300;

/** `firstSeconds` (`PAYMENT_EVENT_RETRY_SECONDS`, 5 by default) after the first failure, doubling, at most 5 minutes. */
export function retryDelaySeconds(attempts: number, firstSeconds = 5): number {
  return Math.min(firstSeconds * 2 ** Math.max(0, attempts - 1), MAX_DELAY_SECONDS);
}

function eventIdOf(body: unknown): string | undefined {
  const eventId = (body as Partial<QueuedEvent> | null)?.event_id;
  return typeof eventId === "string" && eventId.length > 0 ? eventId : undefined;
}

export async function consumePaymentEvents(batch: MessageBatch, services: EventServices): Promise<void> {
  const deadLetters = batch.queue.endsWith("-dlq");
  // One at a time within a batch; across concurrent batches the claim and the state machine keep events apart.
  for (const message of batch.messages) {
    const eventId = eventIdOf(message.body);
    if (!eventId) {
      services.logger.error("payment_event_message_malformed", { queue: batch.queue, message_id: message.id });
      message.ack();
      continue;
    }
    if (deadLetters) {
      await markFailed(services, eventId, message.attempts);
      message.ack();
      continue;
    }
    try {
      const result = await processEvent(services, eventId);
      if (result === "busy") message.retry({ delaySeconds: LEASE_SECONDS });
      else message.ack();
      if (result === "unknown") services.logger.error("payment_event_unknown", { event_id: eventId });
    } catch (error) {
      services.logger.error("payment_event_failed", { event_id: eventId, attempts: message.attempts, error });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, services.config.paymentEventRetrySeconds) });
    }
  }
}

/** Out of retries: the event waits, `failed`, for an admin to look and replay it. */
async function markFailed(services: EventServices, eventId: string, attempts: number): Promise<void> {
  const failed = await services.db
    .update(webhookEvents)
    .set({ status: "failed", leaseUntil: null })
    .where(and(eq(webhookEvents.id, eventId), notInArray(webhookEvents.status, ["processed", "ignored"])))
    .returning({ id: webhookEvents.id });
  if (failed.length > 0) services.logger.error("payment_event_dead_lettered", { event_id: eventId, attempts });
}
