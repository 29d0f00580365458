import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cartItems, carts } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import {
  ADDRESS,
  addToCart,
  asShopper,
  markPaid,
  type OrderBody,
  placeOrder,
  STANDARD_SHIPPING,
  stockOf,
} from "../support/shopping";

describe("checkout", () => {
  it("turns the cart into an order awaiting payment, with integer totals, reserved stock and an empty cart", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const tea = await createProduct(admin, { price_amount: 333, initial_stock: 10 });
    const mug = await createProduct(admin, { price_amount: 1999, initial_stock: 5 });
    await addToCart(shopper, tea.id, 3);
    await addToCart(shopper, mug.id, 2);

    const response = await placeOrder(shopper, "first-checkout", {
      shipping_address: { ...ADDRESS, country: "gb" },
      shipping_method_id: STANDARD_SHIPPING,
      note: "Ring twice",
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const order = (await response.json()) as OrderBody;
    expect(response.headers.get("location")).toBe(`/api/orders/${order.id}`);
    expect(order).toMatchObject({
      status: "awaiting_payment",
      subtotal_amount: 333 * 3 + 1999 * 2,
      total_amount: 333 * 3 + 1999 * 2,
      currency: "usd",
    });
    expect(order.items.map((item) => item.line_amount).sort((a, b) => a - b)).toEqual([999, 3998]);
    for (const item of order.items) expect(Number.isInteger(item.line_amount)).toBe(true);
    expect(order.payment).toMatchObject({
      provider: "mock",
      intent_id: expect.stringMatching(/^pi_mock_/),
      status: "requires_payment_method",
    });
    expect(Date.parse(order.expires_at ?? "") - Date.now()).toBeGreaterThan(890_000);
    expect(order.events.map((event) => event.to)).toEqual(["pending", "awaiting_payment"]);

    expect(await stockOf(tea.variant_id).level()).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await stockOf(mug.variant_id).level()).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    const [cart] = await testDb().select().from(carts).where(eq(carts.userId, shopper.id));
    expect(
      await testDb()
        .select()
        .from(cartItems)
        .where(eq(cartItems.cartId, cart?.id ?? "")),
    ).toEqual([]);
  });

  it("the order keeps its snapshot when the product changes later", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { price_amount: 500, initial_stock: 3, name: "Original name" });
    await addToCart(shopper, product.id, 1);
    const order = (await (await placeOrder(shopper)).json()) as OrderBody;
    await admin.client.json(
      "PATCH",
      `/api/admin/products/${product.id}`,
      { price_amount: 900, name: "Renamed" },
      admin.tokens.access_token,
    );
    await admin.client.fetch(`/api/admin/products/${product.id}`, {
      method: "DELETE",
      token: admin.tokens.access_token,
    });
    const fetched = await shopper.client.fetch(`/api/orders/${order.id}`, { token: shopper.token });
    expect(await fetched.json()).toMatchObject({
      items: [{ name: "Original name", unit_price_amount: 500 }],
      total_amount: 500,
    });
  });

  it("the same Idempotency-Key with the same body returns the first response; with another body it is refused", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 5 });
    await addToCart(shopper, product.id, 1);
    const first = await placeOrder(shopper, "key-1");
    const firstBody = await first.text();
    // Whitespace and key order do not make it another request.
    const replay = await shopper.client.fetch("/api/orders", {
      method: "POST",
      token: shopper.token,
      headers: { "content-type": "application/json", "Idempotency-Key": "key-1" },
      body: `{ "shipping_method_id": "shm_standard", "shipping_address": ${JSON.stringify({ country: "GB", postal_code: "SW1Y 4JH", city: "London", line1: ADDRESS.line1, name: ADDRESS.name })} }`,
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstBody);
    expect((await stockOf(product.variant_id).level()).reserved).toBe(1);

    const other = await placeOrder(shopper, "key-1", {
      shipping_address: { ...ADDRESS, city: "Paris", country: "FR" },
      shipping_method_id: STANDARD_SHIPPING,
    });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { type: string }).type).toBe("urn:edge-commerce:problem:idempotency_key_reused");
  });

  it("a problem is a first response too: the same key replays it", async () => {
    const shopper = asShopper(await signedInUser());
    const first = await placeOrder(shopper, "empty-cart-key");
    expect(first.status).toBe(422);
    const again = await placeOrder(shopper, "empty-cart-key");
    expect(again.status).toBe(422);
    expect(await again.json()).toEqual(await first.json());
  });

  it("lists the user's orders newest first and shows one with its history; cancelling releases the stock", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { initial_stock: 4 });
    const ids = [];
    for (let i = 0; i < 2; i++) {
      await addToCart(shopper, product.id, 1);
      ids.push(((await (await placeOrder(shopper)).json()) as OrderBody).id);
      // One open order at a time: the first is paid before the second checkout.
      if (i === 0) await markPaid(ids[0] ?? "", new Date(), [product.variant_id]);
    }
    const list = (await (await shopper.client.fetch("/api/orders?limit=1", { token: shopper.token })).json()) as {
      data: OrderBody[];
      next_cursor: string;
    };
    expect(list.data.map((order) => order.id)).toEqual([ids[1]]);
    const next = (await (
      await shopper.client.fetch(`/api/orders?limit=1&cursor=${list.next_cursor}`, { token: shopper.token })
    ).json()) as {
      data: OrderBody[];
    };
    expect(next.data.map((order) => order.id)).toEqual([ids[0]]);

    const cancelled = await shopper.client.fetch(`/api/orders/${ids[1]}/cancel`, {
      method: "POST",
      token: shopper.token,
    });
    expect(cancelled.status).toBe(200);
    const body = (await cancelled.json()) as OrderBody;
    expect(body.status).toBe("cancelled");
    expect(body.events.at(-1)).toMatchObject({
      from: "awaiting_payment",
      to: "cancelled",
      reason: "cancelled_by_customer",
    });
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
  });
});
