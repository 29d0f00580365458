import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookEvents } from "../../../src/schema";
import { testDb, unique } from "../support/accounts";
import { postWebhook, signatureFor, stripeEvent } from "../support/payments";
import { callWorkerWith, readProblem } from "../support/worker";

/** An event about nothing this shop knows: accepted, recorded, and found to need nothing. */
function harmlessPayload(id = unique("evt_")) {
  return JSON.stringify(stripeEvent("customer.created", { id: unique("cus_"), object: "customer" }, id), null, 2);
}

async function recorded(eventId: string) {
  return testDb().select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
}

async function expectRefused(response: Response, eventId: string) {
  expect(response.status).toBe(400);
  expect(await readProblem(response)).toMatchObject({
    type: "urn:edge-commerce:problem:invalid_signature",
    detail: "The webhook signature could not be verified.",
  });
  expect(await recorded(eventId)).toEqual([]);
}

const now = () => Math.floor(Date.now() / 1000);

describe("Stripe webhook signatures", () => {
  it("a signature made by Stripe's library with the endpoint secret is accepted and the event recorded", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    const response = await postWebhook(payload, await signatureFor(payload));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    expect(await recorded(id)).toHaveLength(1);
  });

  it("a signature made with another secret is refused", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    await expectRefused(await postWebhook(payload, await signatureFor(payload, { secret: "whsec_someone_else" })), id);
  });

  it("only v1 counts: a header with a valid v0 signature and no v1 is refused", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    const valid = await signatureFor(payload);
    const v0Only = valid.replace(/v1=/, "v0=");
    expect(v0Only).toMatch(/^t=\d+,v0=[0-9a-f]{64}$/);
    await expectRefused(await postWebhook(payload, v0Only), id);
  });

  it("several v1 signatures are accepted when one of them is valid (as during a secret rotation)", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    const timestamp = now();
    const valid = await signatureFor(payload, { timestamp });
    const other = await signatureFor(payload, { timestamp, secret: "whsec_previous" });
    const header = `t=${timestamp},${other.split(",")[1]},${valid.split(",")[1]}`;
    const response = await postWebhook(payload, header);
    expect(response.status).toBe(200);
    expect(await recorded(id)).toHaveLength(1);
  });

  it("every configured secret verifies (rotation on this side)", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    const signature = await signatureFor(payload, { secret: "whsec_next" });
    const response = await callWorkerWith(
      { STRIPE_WEBHOOK_SECRET: "whsec_suite, whsec_next" },
      "/api/webhooks/stripe",
      {
        method: "POST",
        headers: { "content-type": "application/json", "Stripe-Signature": signature },
        body: payload,
      },
    );
    expect(response.status).toBe(200);
  });

  it("a timestamp more than 300 s old or ahead is refused; within it is accepted", async () => {
    for (const offset of [-301, 301, -600, 3600]) {
      const id = unique("evt_");
      const payload = harmlessPayload(id);
      await expectRefused(await postWebhook(payload, await signatureFor(payload, { timestamp: now() + offset })), id);
    }
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    expect((await postWebhook(payload, await signatureFor(payload, { timestamp: now() - 290 }))).status).toBe(200);
  });

  it("the body must be the bytes that were signed: re-serialized with other whitespace, or one byte changed, it is refused", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    const signature = await signatureFor(payload);
    await expectRefused(await postWebhook(JSON.stringify(JSON.parse(payload)), signature), id);
    await expectRefused(await postWebhook(payload.replace("customer.created", "customer.createe"), signature), id);
  });

  it("a missing, empty or malformed header is refused", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    await expectRefused(await postWebhook(payload), id);
    await expectRefused(await postWebhook(payload, ""), id);
    await expectRefused(await postWebhook(payload, "v1=abc"), id);
    await expectRefused(await postWebhook(payload, `t=${now()},v1=not-hex`), id);
  });

  it("a body over 64 KiB is refused with 413 before anything else", async () => {
    const event = stripeEvent("customer.created", {
      id: unique("cus_"),
      object: "customer",
      description: "x".repeat(70_000),
    });
    const payload = JSON.stringify(event);
    const response = await postWebhook(payload, await signatureFor(payload));
    expect(response.status).toBe(413);
    expect(await recorded(event.id)).toEqual([]);
  });

  it("with no webhook secret configured nothing is accepted: 500 configuration problem", async () => {
    const id = unique("evt_");
    const payload = harmlessPayload(id);
    const response = await callWorkerWith({ STRIPE_WEBHOOK_SECRET: undefined }, "/api/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "Stripe-Signature": await signatureFor(payload) },
      body: payload,
    });
    expect(response.status).toBe(500);
    expect(await readProblem(response)).toMatchObject({ type: "urn:edge-commerce:problem:configuration_error" });
    expect(await recorded(id)).toEqual([]);
  });

  it("a signed body that is not an event is a 400", async () => {
    for (const payload of ['{"hello":"world"}', "not json", "[]"]) {
      const response = await postWebhook(payload, await signatureFor(payload));
      expect(response.status, payload).toBe(400);
      expect(await readProblem(response)).toMatchObject({ type: "urn:edge-commerce:problem:invalid_event" });
    }
  });

  it("card and billing details in an event are never stored: only ids, amounts and statuses", async () => {
    const event = stripeEvent("charge.succeeded", {
      id: unique("ch_"),
      object: "charge",
      amount: 1200,
      currency: "eur",
      status: "succeeded",
      payment_intent: unique("pi_"),
      billing_details: { name: "Ada Lovelace", email: "ada@example.com", address: { line1: "12 St James's Square" } },
      payment_method_details: {
        type: "card",
        card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, fingerprint: "Xt5EWLLDS7FJjR1c" },
      },
      receipt_email: "ada@example.com",
    });
    const payload = JSON.stringify(event);
    expect((await postWebhook(payload, await signatureFor(payload))).status).toBe(200);
    const [row] = await recorded(event.id);
    const stored = JSON.stringify(row?.payload);
    for (const secret of ["4242", "visa", "exp_month", "fingerprint", "Ada", "ada@example.com", "St James"]) {
      expect(stored).not.toContain(secret);
    }
    expect(row?.payload).toMatchObject({ data: { object: { amount: 1200, currency: "eur", status: "succeeded" } } });
  });
});
