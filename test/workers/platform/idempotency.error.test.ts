import { describe, expect, it } from "vitest";
import { signedInAdmin, signedInUser } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { ADDRESS, addToCart, asShopper, placeOrder, type Shopper } from "../support/shopping";
import { readProblem } from "../support/worker";

function rawCheckout(shopper: Shopper, key: string, body: string) {
  return shopper.client.fetch("/api/orders", {
    method: "POST",
    token: shopper.token,
    headers: { "content-type": "application/json", "Idempotency-Key": key },
    body,
  });
}

async function shopperWithCart() {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 5 });
  await addToCart(shopper, product.id, 1);
  return shopper;
}

describe("idempotency keys and requests that never reach the handler", () => {
  it("a malformed body does not use up the key: the corrected request with the same key is processed", async () => {
    const shopper = await shopperWithCart();
    const key = crypto.randomUUID();
    const malformed = await rawCheckout(shopper, key, '{"shipping_address": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("Idempotent-Replayed")).toBeNull();
    const corrected = await placeOrder(shopper, key);
    expect(corrected.status, await corrected.clone().text()).toBe(201);
    expect(corrected.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("an invalid body does not use up the key either", async () => {
    const shopper = await shopperWithCart();
    const key = crypto.randomUUID();
    const invalid = await rawCheckout(shopper, key, JSON.stringify({ shipping_address: { ...ADDRESS, country: "" } }));
    expect(invalid.status).toBe(422);
    expect((await readProblem(invalid)).type).toBe("urn:edge-commerce:problem:validation_error");
    expect((await placeOrder(shopper, key)).status).toBe(201);
  });

  it("a processed request is replayed with its Location, and marked as a replay", async () => {
    const shopper = await shopperWithCart();
    const key = crypto.randomUUID();
    const first = await placeOrder(shopper, key);
    expect(first.status).toBe(201);
    const again = await placeOrder(shopper, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await again.json()).toEqual(await first.json());
  });
});
