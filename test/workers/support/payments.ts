import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import Stripe from "stripe";
import { expect, vi } from "vitest";
import worker, { createWorker } from "../../../src";
import { minimalEvent } from "../../../src/modules/payments/events";
import { orders, refunds, type WebhookEventStatus, webhookEvents } from "../../../src/schema";
import type { ServiceOverrides } from "../../../src/services";
import { signedInAdmin, signedInUser, testDb, unique } from "./accounts";
import { createProduct } from "./catalog";
import { addToCart, asShopper, type OrderBody, placeOrder, type Shopper } from "./shopping";
import { callWorker } from "./worker";

/** The suite's webhook secret (vitest.config.ts). */
export const WEBHOOK_SECRET = env.STRIPE_WEBHOOK_SECRET ?? "";

// Only its webhook helpers are used: it never makes a request.
const stripe = new Stripe("sk_test_unused", { httpClient: Stripe.createFetchHttpClient() });
const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** A `Stripe-Signature` header made by Stripe's own library. */
export function signatureFor(payload: string, options: { secret?: string; timestamp?: number } = {}): Promise<string> {
  return stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
    cryptoProvider,
  });
}

export interface StripeEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  livemode: false;
  data: { object: Record<string, unknown> };
}

export function stripeEvent(type: string, object: Record<string, unknown>, id = unique("evt_")): StripeEvent {
  return { id, object: "event", type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } };
}

export function postWebhook(payload: string, signature?: string, headers: Record<string, string> = {}) {
  return callWorker("/api/webhooks/stripe", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature === undefined ? {} : { "Stripe-Signature": signature }),
      ...headers,
    },
    body: payload,
  });
}

/** Signs and delivers an event as Stripe would; returns the endpoint's answer. */
export async function deliver(event: StripeEvent): Promise<Response> {
  const payload = JSON.stringify(event, null, 2);
  return postWebhook(payload, await signatureFor(payload));
}

type OrderRow = typeof orders.$inferSelect;

export async function orderRow(orderId: string): Promise<OrderRow> {
  const [order] = await testDb().select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new Error(`no order ${orderId}`);
  return order;
}

/** A PaymentIntent as Stripe describes it in events about `order`. */
export function intentOf(order: OrderRow, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: order.paymentIntentId,
    object: "payment_intent",
    amount: order.totalAmount,
    amount_received: order.totalAmount,
    currency: order.currency,
    status: "succeeded",
    metadata: { order_id: order.id },
    ...overrides,
  };
}

export function chargeOf(order: OrderRow, amountRefunded: number): Record<string, unknown> {
  return {
    id: unique("ch_"),
    object: "charge",
    amount: order.totalAmount,
    amount_refunded: amountRefunded,
    currency: order.currency,
    payment_intent: order.paymentIntentId,
    metadata: { order_id: order.id },
  };
}

const SETTLED_EVENT: WebhookEventStatus[] = ["processed", "ignored"];

/** Waits until the queue consumer has dealt with every one of `eventIds` (it runs on its own, as in production). */
export async function settled(eventIds: string[], statuses = SETTLED_EVENT) {
  return vi.waitFor(
    async () => {
      const rows = await testDb().select().from(webhookEvents).where(inArray(webhookEvents.id, eventIds));
      const pending = eventIds.filter((id) => !rows.some((row) => row.id === id && statuses.includes(row.status)));
      if (pending.length > 0) throw new Error(`events not processed yet: ${pending.join(", ")}`);
      return rows;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** Delivers a signed event and waits for the consumer to process it. */
export async function deliverAndSettle(event: StripeEvent) {
  const response = await deliver(event);
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  const [row] = await settled([event.id]);
  return row;
}

/** The recorded event, as processing left it. */
export async function eventRow(eventId: string) {
  const [row] = await testDb().select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return row;
}

/** The event rows about one order, in the order they arrived. */
export async function eventsOf(orderId: string) {
  return testDb().select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId));
}

/** A Stripe-configured deployment (the key is never sent anywhere real: Stripe's API is stubbed). */
export const WITH_STRIPE = { STRIPE_SECRET_KEY: "sk_test_stub" };

export interface StripeCall {
  method: string;
  path: string;
  idempotencyKey: string | null;
  authorization: string | null;
  form: URLSearchParams;
}

export function stripeJson(body: Record<string, unknown>, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": unique("req_") },
  });
}

/**
 * Stubs Stripe's HTTP API at the network boundary (every other request, the
 * database's included, goes through). Returns the calls it answered.
 */
export function stubStripe(respond: (call: StripeCall) => Response | Promise<Response>): StripeCall[] {
  const realFetch = globalThis.fetch;
  const calls: StripeCall[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.hostname !== "api.stripe.com") return realFetch(input, init);
    const request = new Request(input, init);
    const call = {
      method: request.method,
      path: url.pathname,
      idempotencyKey: request.headers.get("idempotency-key"),
      authorization: request.headers.get("authorization"),
      form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
    };
    calls.push(call);
    return respond(call);
  });
  return calls;
}

/** Stripe's answers for a working account: intents, cancellations and refunds. */
export function workingStripe(call: StripeCall): Response {
  if (call.path === "/v1/payment_intents") {
    const id = unique("pi_");
    return stripeJson({
      id,
      object: "payment_intent",
      amount: Number(call.form.get("amount")),
      currency: call.form.get("currency"),
      client_secret: `${id}_secret_${unique()}`,
      status: "requires_payment_method",
    });
  }
  const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(call.path);
  if (cancel) return stripeJson({ id: cancel[1], object: "payment_intent", status: "canceled" });
  if (call.path === "/v1/refunds") {
    return stripeJson({
      id: unique("re_"),
      object: "refund",
      amount: Number(call.form.get("amount")),
      status: "pending",
    });
  }
  return stripeJson({ error: { type: "invalid_request_error", message: `unstubbed ${call.path}` } }, 404);
}

export function failingStripe(): Response {
  return stripeJson({ error: { type: "api_error", message: "An unknown error occurred" } }, 500);
}

/** An order placed and paid through a signed `payment_intent.succeeded`, as in production. */
export async function paidOrder(shopper: Shopper, placed: Response) {
  expect(placed.status, await placed.clone().text()).toBe(201);
  const { id } = (await placed.json()) as OrderBody;
  const event = await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(await orderRow(id))));
  expect(event?.status).toBe("processed");
  const order = await orderRow(id);
  expect(order.userId).toBe(shopper.id);
  expect(order.status).toBe("paid");
  return order;
}

/** An event the webhook verified and recorded, whose queue message the test delivers itself. */
export async function recordedEvent(type: string, object: Record<string, unknown>) {
  const event = stripeEvent(type, object);
  await testDb()
    .insert(webhookEvents)
    .values({
      id: event.id,
      type,
      payload: minimalEvent(event),
      receivedAt: new Date().toISOString(),
      status: "queued",
    });
  return event.id;
}

export async function consume(
  queue: string,
  bodies: unknown[],
  attempts = 1,
  overrides: Record<string, string> = {},
  services?: ServiceOverrides,
) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, index) => ({ id: `msg-${index}`, timestamp: new Date(), attempts, body })),
  );
  // The harness records that a message was retried, not with what delay: the calls say it.
  const retries = batch.messages.map((message) => vi.spyOn(message, "retry"));
  const retryAll = vi.spyOn(batch, "retryAll");
  const ctx = createExecutionContext();
  await (services ? createWorker(services) : worker).queue(batch, { ...env, ...overrides } as Env, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    delays: retries.flatMap((retry) => retry.mock.calls.map(([options]) => options?.delaySeconds)),
    batchDelays: retryAll.mock.calls.map(([options]) => options?.delaySeconds),
  };
}

/** An order placed by a new shopper for `quantity` of a new product with `stock` units, awaiting its payment. */
export async function awaitingPayment(quantity = 2, stock = 5) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: stock });
  await addToCart(shopper, product.id, quantity);
  const placed = await placeOrder(shopper);
  expect(placed.status, await placed.clone().text()).toBe(201);
  const { id } = (await placed.json()) as OrderBody;
  return { admin, shopper, product, order: await orderRow(id) };
}

/**
 * Waits for the processor's confirmation (`charge.refunded`, from the mock) to be processed in full: the order has
 * moved and every refund it covers is confirmed (which comes after any restock).
 */
export async function orderReaches(orderId: string, status: string) {
  return vi.waitFor(
    async () => {
      const order = await orderRow(orderId);
      expect(order.status).toBe(status);
      const pending = await testDb()
        .select()
        .from(refunds)
        .where(and(eq(refunds.orderId, orderId), eq(refunds.status, "requested")));
      expect(pending).toEqual([]);
      return order;
    },
    { timeout: 15_000, interval: 100 },
  );
}

type Admin = Awaited<ReturnType<typeof signedInAdmin>>;

/** An admin's refund request for an order (`amount` omitted: all that is left), under a fresh Idempotency-Key. */
export function requestRefund(admin: Admin, orderId: string, body: Record<string, unknown>, key = crypto.randomUUID()) {
  return admin.client.fetch(`/api/admin/orders/${orderId}/refund`, {
    method: "POST",
    token: admin.tokens.access_token,
    headers: { "content-type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
  });
}
