/**
 * The intake of payment events (from the webhook, or from the mock
 * provider): each is recorded once by its event id, then handed to the
 * `payment-events` queue. A duplicate id is acknowledged and causes nothing.
 */
import { and, eq, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../platform/db/client";
import { type WebhookEventStatus, webhookEvents } from "./tables";

type WebhookEventRow = typeof webhookEvents.$inferSelect;

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

const STALLED_RECEIVED_MS = 5 * 60_000;
/** Longer than every retry of a message together (5 + 10 + 20 + 40 + 80 s, plus batching). */
const QUEUED_PATIENCE_MS = 60 * 60_000;

/** For a `queued` event, `lease_until` is when its message counts as lost. */
export function queuedUntil(now = new Date()): string {
  return new Date(now.getTime() + QUEUED_PATIENCE_MS).toISOString();
}

/** Queued past its patience, or claimed by a consumer whose lease ran out. */
function leaseLapsed(now: Date) {
  return and(inArray(webhookEvents.status, ["queued", "processing"]), lt(webhookEvents.leaseUntil, now.toISOString()));
}

/** `ignored` too: an event that found nothing to do may be replayed once what it needed exists. */
const REPLAYABLE: WebhookEventStatus[] = ["failed", "ignored", "queued", "received"];

export class PaymentEventIntake {
  constructor(
    private readonly db: Database,
    private readonly queue: Queue<QueuedEvent>,
  ) {}

  /**
   * Records (only what processing needs) and enqueues the event; `duplicate` when its id was seen before. With
   * `later`, the event is marked queued after the caller has answered (the webhook: one round trip before it).
   */
  async receive(
    event: PaymentEvent,
    options: { later?: (work: () => Promise<void>) => void } = {},
  ): Promise<{ duplicate: boolean }> {
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
    const markQueued = async () => {
      await this.db
        .update(webhookEvents)
        .set({ status: "queued", leaseUntil: queuedUntil() })
        .where(and(eq(webhookEvents.id, event.id), eq(webhookEvents.status, "received")));
    };
    // Safe to leave running after the answer: the consumer claims a `received` event as well as a `queued` one,
    // and an event left `received` is queued again by the cron.
    if (options.later) options.later(markQueued);
    else await markQueued();
    return { duplicate };
  }

  /**
   * Events whose message was lost: recorded but never queued (the send
   * failed and the sender gave up), queued an hour ago and still not done
   * (e.g. the dead-letter consumer could not record the failure), or claimed
   * by a consumer that died. They are queued again; processing them twice is
   * harmless, since the claim lets only one delivery apply an event.
   */
  async requeueStalled(now = new Date()): Promise<number> {
    const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const stalled = await this.db
      .update(webhookEvents)
      .set({ status: "queued", leaseUntil: queuedUntil(now) })
      .where(
        inArray(
          webhookEvents.id,
          this.db
            .select({ id: webhookEvents.id })
            .from(webhookEvents)
            .where(
              or(
                and(eq(webhookEvents.status, "received"), lt(webhookEvents.receivedAt, before(STALLED_RECEIVED_MS))),
                leaseLapsed(now),
              ),
            )
            .limit(100),
        ),
      )
      .returning({ id: webhookEvents.id });
    for (const { id } of stalled) await this.queue.send({ event_id: id });
    return stalled.length;
  }

  /**
   * Sends an event through processing again (an admin's replay). Processed or
   * in-progress events are not replayed: the answer is which status it has.
   */
  /** The event as reopened (`queued`: the consumer may take it the moment it is sent), or why it was not. */
  async replay(
    eventId: string,
  ): Promise<{ ok: true; event: WebhookEventRow } | { ok: false; status: WebhookEventStatus | null }> {
    const [reopened] = await this.db
      .update(webhookEvents)
      .set({ status: "queued", leaseUntil: queuedUntil() })
      .where(and(eq(webhookEvents.id, eventId), or(inArray(webhookEvents.status, REPLAYABLE), leaseLapsed(new Date()))))
      .returning();
    if (!reopened) {
      const [existing] = await this.db
        .select({ status: webhookEvents.status })
        .from(webhookEvents)
        .where(eq(webhookEvents.id, eventId));
      return { ok: false, status: existing?.status ?? null };
    }
    await this.queue.send({ event_id: eventId });
    return { ok: true, event: reopened };
  }
}
