/**
 * The round-trip budget of each step of a shopper's visit (README, "Performance"): a shopper on another
 * continent than the database pays every round trip in distance, so each step's count is held exactly here,
 * counted at the database line, not timed.
 */
import { describe, expect, it } from "vitest";
import { CART_TOKEN_HEADER } from "../../../src/modules/cart";
import { registerAccount, signedInAdmin, type Tokens } from "../support/accounts";
import { createProduct, setStock } from "../support/catalog";
import { databaseThrough } from "../support/faults";
import { consume, intentOf, orderRow, recordedEvent, signatureFor, stripeEvent } from "../support/payments";
import { CountingLink, type Measured, measureRoundTrips } from "../support/round-trips";
import { ADDRESS, STANDARD_SHIPPING } from "../support/shopping";
import { createDiscountCode } from "../support/store-settings";

async function visit() {
  const admin = await signedInAdmin();
  const [tea, cups] = [await createProduct(admin), await createProduct(admin)];
  await setStock(admin, tea.variant_id, 10);
  await setStock(admin, cups.variant_id, 10);
  const account = await registerAccount();
  const step = (path: string, init: RequestInit & { token?: string } = {}): Promise<Measured> => {
    const headers = new Headers(init.headers);
    headers.set("CF-Connecting-IP", account.client.ip);
    headers.set("content-type", "application/json");
    if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
    return measureRoundTrips(path, { ...init, headers });
  };
  return { admin, account, tea, cups, step };
}

function expectWithin(measured: Measured, status: number, budget: number) {
  expect(measured.response.status).toBe(status);
  expect(measured.beforeResponse).toBe(budget);
}

describe("each step of a visit makes the round trips of its budget", () => {
  it("catalog 1 (cold), sign-in 2, me 1, cart writes 2, cart 1, checkout 3 (+1 after), order 1, orders 1", async () => {
    const { account, tea, cups, step } = await visit();
    expectWithin(await step(`/api/products?q=${encodeURIComponent(tea.name)}`), 200, 1);
    expectWithin(await step(`/api/products/${tea.id}`), 200, 1);

    const signIn = await step("/api/auth/login", {
      method: "POST",
      body: JSON.stringify({ username: account.username, password: account.password }),
    });
    expectWithin(signIn, 200, 2);
    const token = ((await signIn.response.json()) as Tokens).access_token;

    expectWithin(await step("/api/users/me", { token }), 200, 1);
    const add = (productId: string, quantity: number) =>
      step("/api/cart/items", { method: "POST", token, body: JSON.stringify({ product_id: productId, quantity }) });
    expectWithin(await add(tea.id, 1), 201, 2);
    expectWithin(await add(cups.id, 2), 201, 2);
    expectWithin(await add(cups.id, 1), 200, 2);
    expectWithin(await step("/api/cart", { token }), 200, 1);

    const placed = await step("/api/orders", {
      method: "POST",
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({
        shipping_address: ADDRESS,
        shipping_method_id: STANDARD_SHIPPING,
      }),
    });
    expectWithin(placed, 201, 3);
    // The idempotency record, written after the answer has left.
    expect(placed.afterResponse).toBe(1);
    const order = (await placed.response.json()) as { id: string; items: unknown[] };
    expect(order.items).toHaveLength(2);

    expectWithin(await step(`/api/orders/${order.id}`, { token }), 200, 1);
    expectWithin(await step("/api/orders", { token }), 200, 1);
  });

  it("a guest: cart start 1, cart writes 2, cart 1, as for a signed-in shopper; sign-in with the merge 2", async () => {
    const { account, tea, cups, step } = await visit();
    const started = await step("/api/carts", { method: "POST" });
    expectWithin(started, 201, 1);
    const cartToken = started.response.headers.get(CART_TOKEN_HEADER) ?? "";
    const headers = { [CART_TOKEN_HEADER]: cartToken };
    const add = (productId: string, quantity: number) =>
      step("/api/cart/items", { method: "POST", headers, body: JSON.stringify({ product_id: productId, quantity }) });
    expectWithin(await add(tea.id, 1), 201, 2);
    expectWithin(await add(cups.id, 2), 201, 2);
    expectWithin(await add(cups.id, 1), 200, 2);
    expectWithin(await step("/api/cart", { headers }), 200, 1);

    const signIn = await step("/api/auth/login", {
      method: "POST",
      headers,
      body: JSON.stringify({ username: account.username, password: account.password }),
    });
    expectWithin(signIn, 200, 2);
    expect(((await signIn.response.json()) as { cart_merged?: unknown }).cart_merged).toEqual({ lines: 2 });
  });

  it("pricing the cart and a guest's checkout: code 2, destination 2, options 1, checkout 3 (+1 after), as for an account", async () => {
    const { admin, tea, step } = await visit();
    const code = await createDiscountCode(admin);
    const started = await step("/api/carts", { method: "POST" });
    const headers = { [CART_TOKEN_HEADER]: started.response.headers.get(CART_TOKEN_HEADER) ?? "" };
    const write = (path: string, method: string, body: unknown) =>
      step(path, { method, headers, body: JSON.stringify(body) });
    expectWithin(await write("/api/cart/items", "POST", { product_id: tea.id, quantity: 2 }), 201, 2);
    expectWithin(await write("/api/cart/discount", "PUT", { code: code.code }), 200, 2);
    expectWithin(
      await write("/api/cart/shipping", "PUT", { country: "GB", shipping_method_id: STANDARD_SHIPPING }),
      200,
      2,
    );
    expectWithin(await step("/api/cart/shipping-options", { headers }), 200, 1);
    const placed = await step("/api/orders", {
      method: "POST",
      headers: { ...headers, "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({
        shipping_address: ADDRESS,
        shipping_method_id: STANDARD_SHIPPING,
        email: `guest-${crypto.randomUUID()}@example.com`,
      }),
    });
    expectWithin(placed, 201, 3);
    expect(placed.afterResponse).toBe(1);
    expect(((await placed.response.json()) as { discount_code: string }).discount_code).toBe(code.code);
  });

  it("a payment event reaches a paid order in 4: the webhook's 1 before its answer and 1 after, the consumer's 2", async () => {
    const { account, tea, step } = await visit();
    const signIn = await step("/api/auth/login", {
      method: "POST",
      body: JSON.stringify({ username: account.username, password: account.password }),
    });
    const token = ((await signIn.response.json()) as Tokens).access_token;
    await step("/api/cart/items", { method: "POST", token, body: JSON.stringify({ product_id: tea.id, quantity: 1 }) });
    const placed = await step("/api/orders", {
      method: "POST",
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({
        shipping_address: ADDRESS,
        shipping_method_id: STANDARD_SHIPPING,
      }),
    });
    const order = await orderRow(((await placed.response.json()) as { id: string }).id);

    const event = stripeEvent("payment_intent.succeeded", intentOf(order));
    const payload = JSON.stringify(event);
    const webhook = await measureRoundTrips("/api/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "Stripe-Signature": await signatureFor(payload) },
      body: payload,
    });
    expectWithin(webhook, 200, 1);
    expect(webhook.afterResponse).toBe(1);

    // The consumer, on the event as the webhook recorded it (delivered here, through the counting line).
    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(order));
    const consumer = new CountingLink();
    await consume("payment-events", [{ event_id: eventId }], 1, {}, databaseThrough(consumer));
    expect((await orderRow(order.id)).status).toBe("paid");
    expect(consumer.total).toBe(2);
  });
});
