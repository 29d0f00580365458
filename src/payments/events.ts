/**
 * The intake of payment events (from the webhook, or from the mock
 * provider): each is recorded once by its event id, then handed to the
 * `payment-events` queue. A duplicate id is acknowledged and causes nothing.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/client";
import { type WebhookEventStatus, webhookEvents } from "../db/schema";

export const PaymentEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type PaymentEvent = z.infer<typeof PaymentEventSchema>;

export interface QueuedEvent {
  event_id: string;
}

/**
 * The only fields of an event's object that are kept. Stripe's charges carry
 * card details (brand, last4, expiry, fingerprint) and billing details; none
 * of that is ever stored here.
 */
const KEPT_FIELDS = [
  "id",
  "object",
  "amount",
  "amount_received",
  "amount_refunded",
  "currency",
  "status",
  "payment_intent",
  "charge",
  "reason",
] as const;

export function minimalEvent(event: PaymentEvent): PaymentEvent {
  const source = event.data.object;
  const object: Record<string, unknown> = {};
  for (const field of KEPT_FIELDS) {
    const value = source[field];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") object[field] = value;
  }
  const metadata = source.metadata;
  if (metadata && typeof metadata === "object") {
    object.metadata = Object.fromEntries(
      Object.entries(metadata).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  return { id: event.id, type: event.type, created: event.created, data: { object } };
}

/** `ignored` too: an event that found nothing to do may be replayed once what it needed exists. */
const REPLAYABLE: WebhookEventStatus[] = ["failed", "ignored", "queued", "received"];

export class PaymentEventIntake {
  constructor(
    private readonly db: Database,
    private readonly queue: Queue<QueuedEvent>,
  ) {}

  /** Records (only what processing needs) and enqueues the event; `duplicate` when its id was seen before. */
  async receive(event: PaymentEvent): Promise<{ duplicate: boolean }> {
    const recorded = await this.db
      .insert(webhookEvents)
      .values({
        id: event.id,
        type: event.type,
        payload: minimalEvent(event),
        receivedAt: new Date().toISOString(),
        status: "received",
      })
      .onConflictDoNothing();
    const duplicate = recorded.rowsAffected === 0;
    if (duplicate) {
      // A duplicate whose first delivery never reached the queue (still `received`) is enqueued now.
      const [existing] = await this.db
        .select({ status: webhookEvents.status })
        .from(webhookEvents)
        .where(eq(webhookEvents.id, event.id));
      if (existing?.status !== "received") return { duplicate };
    }
    await this.queue.send({ event_id: event.id });
    await this.db
      .update(webhookEvents)
      .set({ status: "queued" })
      .where(and(eq(webhookEvents.id, event.id), eq(webhookEvents.status, "received")));
    return { duplicate };
  }

  /**
   * Sends an event through processing again (an admin's replay). Processed or
   * in-progress events are not replayed: the answer is which status it has.
   */
  async replay(eventId: string): Promise<{ ok: true } | { ok: false; status: WebhookEventStatus | null }> {
    const reopened = await this.db
      .update(webhookEvents)
      .set({ status: "queued", leaseUntil: null })
      .where(and(eq(webhookEvents.id, eventId), inArray(webhookEvents.status, REPLAYABLE)))
      .returning({ id: webhookEvents.id });
    if (reopened.length === 0) {
      const [existing] = await this.db
        .select({ status: webhookEvents.status })
        .from(webhookEvents)
        .where(eq(webhookEvents.id, eventId));
      return { ok: false, status: existing?.status ?? null };
    }
    await this.queue.send({ event_id: eventId });
    return { ok: true };
  }
}
