import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct, setStock } from "../support/catalog";
import { failingPayments } from "../support/faults";
import {
  ADDRESS,
  addToCart,
  asShopper,
  type OrderBody,
  placeOrder,
  placeOrderWith,
  STANDARD_SHIPPING,
  stockOf,
} from "../support/shopping";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("checkout refusals", () => {
  it("an empty cart → 422", async () => {
    const shopper = asShopper(await signedInUser());
    const response = await placeOrder(shopper);
    expect(response.status).toBe(422);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:cart_empty");
  });

  it("a line whose product is no longer for sale → 409 naming it, and nothing is reserved", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const kept = await createProduct(admin, { initial_stock: 5 });
    const retired = await createProduct(admin, { initial_stock: 5, name: "Retired teapot" });
    await addToCart(shopper, kept.id, 1);
    await addToCart(shopper, retired.id, 1);
    await admin.client.json(
      "PATCH",
      `/api/admin/products/${retired.id}`,
      { is_active: false },
      admin.tokens.access_token,
    );
    const response = await placeOrder(shopper);
    expect(response.status).toBe(409);
    expect(await readProblem(response)).toMatchObject({
      type: "urn:edge-commerce:problem:product_unavailable",
      products: [{ product_id: retired.id, name: "Retired teapot" }],
    });
    expect((await stockOf(kept.variant_id).level()).reserved).toBe(0);
  });

  it("two products, one short: 409 lists it with its available quantity; nothing stays reserved; the order is rejected", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const plenty = await createProduct(admin, { initial_stock: 10 });
    const scarce = await createProduct(admin, { initial_stock: 5 });
    await addToCart(shopper, plenty.id, 2);
    await addToCart(shopper, scarce.id, 4);
    await setStock(admin, scarce.variant_id, 1);
    const response = await placeOrder(shopper);
    expect(response.status).toBe(409);
    const problem = (await readProblem(response)) as unknown as { variants: unknown[]; order_id: string };
    expect(problem.variants).toEqual([{ variant_id: scarce.variant_id, requested: 4, available: 1 }]);
    expect(await stockOf(plenty.variant_id).level()).toMatchObject({ reserved: 0, available: 10 });
    expect(await stockOf(scarce.variant_id).level()).toMatchObject({ reserved: 0, available: 1 });
    const [order] = await testDb().select().from(orders).where(eq(orders.id, problem.order_id));
    expect(order?.status).toBe("rejected");
  });

  it("an unverified email → 403 when REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT is on", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 5 });
    await addToCart(shopper, product.id, 1);
    const response = await placeOrderWith({ REQUIRE_VERIFIED_EMAIL_FOR_CHECKOUT: "true" }, shopper);
    expect(response.status).toBe(403);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:email_not_verified");
  });

  it("without an Idempotency-Key, or with a bad address or unknown fields → 422", async () => {
    const shopper = asShopper(await signedInUser());
    const noKey = await shopper.client.json(
      "POST",
      "/api/orders",
      { shipping_address: ADDRESS, shipping_method_id: STANDARD_SHIPPING },
      shopper.token,
    );
    expect(noKey.status).toBe(422);
    expect((await readProblem(noKey)).errors?.map((error) => error.path)).toContain("header.idempotency-key");
    const tooLong = await placeOrder(shopper, "k".repeat(256));
    expect(tooLong.status).toBe(422);
    for (const body of [
      { shipping_address: { ...ADDRESS, country: "XX" } },
      { shipping_address: { ...ADDRESS, country: "GBR" } },
      { shipping_address: { ...ADDRESS, line1: "" } },
      { shipping_address: { ...ADDRESS, postal_code: undefined } },
      { shipping_address: ADDRESS, shipping_method_id: STANDARD_SHIPPING, total_amount: 1 },
      { shipping_address: { ...ADDRESS, phone: "x" } },
    ]) {
      expect((await placeOrder(shopper, crypto.randomUUID(), body)).status, JSON.stringify(body)).toBe(422);
    }
    const priced = await placeOrder(shopper, crypto.randomUUID(), {
      shipping_address: ADDRESS,
      shipping_method_id: STANDARD_SHIPPING,
      total_amount: 1,
      items: [{ unit_price_amount: 1 }],
    });
    expect(priced.status).toBe(422);
    expect((await readProblem(priced)).errors).toEqual(
      expect.arrayContaining([
        { path: "body.total_amount", message: "Unknown field" },
        { path: "body.items", message: "Unknown field" },
      ]),
    );
    expect(await testDb().select().from(orders).where(eq(orders.userId, shopper.id))).toEqual([]);
  });

  it("an unexpected failure while asking for the payment gives the stock back; the order is payment_failed", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 3 });
    await addToCart(shopper, product.id, 2);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await placeOrderWith({}, shopper, "fails-once", failingPayments("createPayment"));
    expect(response.status).toBe(500);
    expect(await stockOf(product.variant_id).level()).toMatchObject({ reserved: 0, available: 3 });
    const [order] = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(order?.status).toBe("payment_failed");
    // The key was freed: the same request can be retried and succeeds.
    const retry = await placeOrder(shopper, "fails-once");
    expect(retry.status).toBe(201);
  });
});

describe("orders are private", () => {
  it("another user's order is a 404 for reading and cancelling, and stays as it was", async () => {
    const admin = await signedInAdmin();
    const alice = asShopper(await signedInUser());
    const mallory = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 2 });
    await addToCart(alice, product.id, 1);
    const order = (await (await placeOrder(alice)).json()) as OrderBody;

    const read = await mallory.client.fetch(`/api/orders/${order.id}`, { token: mallory.token });
    expect(read.status).toBe(404);
    expect((await readProblem(read)).type).toBe("urn:edge-commerce:problem:not_found");
    const cancel = await mallory.client.fetch(`/api/orders/${order.id}/cancel`, {
      method: "POST",
      token: mallory.token,
    });
    expect(cancel.status).toBe(404);
    expect((await readProblem(cancel)).type).toBe("urn:edge-commerce:problem:not_found");
    const list = (await (await mallory.client.fetch("/api/orders", { token: mallory.token })).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([]);

    // A 404 alone would not show it: the order must still await Alice's payment, with its stock held.
    const [row] = await testDb().select().from(orders).where(eq(orders.id, order.id));
    expect(row?.status).toBe("awaiting_payment");
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 2, reserved: 1 });
    const own = await alice.client.fetch(`/api/orders/${order.id}`, { token: alice.token });
    expect(((await own.json()) as OrderBody).events.map((event) => event.to)).toEqual(["pending", "awaiting_payment"]);
  });

  it("cancelling an order that is not awaiting payment → 409 naming its status", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 2 });
    await addToCart(shopper, product.id, 1);
    const order = (await (await placeOrder(shopper)).json()) as OrderBody;
    await shopper.client.fetch(`/api/orders/${order.id}/cancel`, { method: "POST", token: shopper.token });
    const again = await shopper.client.fetch(`/api/orders/${order.id}/cancel`, {
      method: "POST",
      token: shopper.token,
    });
    expect(again.status).toBe(409);
    expect(await readProblem(again)).toMatchObject({
      type: "urn:edge-commerce:problem:invalid_transition",
      status: 409,
      order_status: "cancelled",
      detail: expect.stringContaining("cancelled"),
    });
  });
});
