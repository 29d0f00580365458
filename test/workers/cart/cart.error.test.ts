import { describe, expect, it } from "vitest";
import { signedInAdmin, signedInUser, testClient } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { callWorkerWith, readProblem } from "../support/worker";

describe("cart limits and mistakes", () => {
  it('quantities 0, -1, 1.5, "2" and 1e9 are refused with 422; so is anything over MAX_QTY_PER_LINE', async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const product = await createProduct(admin);
    await setStockMirror(product.variant_id, 1000);
    for (const quantity of [0, -1, 1.5, "2", 1e9, null, 51]) {
      const response = await shopper.client.json(
        "POST",
        "/api/cart/items",
        { product_id: product.id, quantity },
        shopper.tokens.access_token,
      );
      expect(response.status, String(quantity)).toBe(422);
      expect(
        (await readProblem(response)).errors?.map((error) => error.path),
        String(quantity),
      ).toContain("body.quantity");
    }
    await shopper.client.json(
      "POST",
      "/api/cart/items",
      { product_id: product.id, quantity: 30 },
      shopper.tokens.access_token,
    );
    const merged = await shopper.client.json(
      "POST",
      "/api/cart/items",
      { product_id: product.id, quantity: 21 },
      shopper.tokens.access_token,
    );
    expect(merged.status).toBe(422);
    // The line keeps what it had: 30 + 21 would exceed MAX_QTY_PER_LINE, so none of the 21 was added.
    const cart = await (await shopper.client.fetch("/api/cart", { token: shopper.tokens.access_token })).json();
    expect(cart).toMatchObject({ items: [{ product_id: product.id, quantity: 30 }] });
  });

  it("unknown fields such as a price are refused, naming the field, and nothing is added", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const product = await createProduct(admin);
    await setStockMirror(product.variant_id, 10);
    for (const field of ["unit_price_amount", "price_amount", "currency"]) {
      const response = await shopper.client.json(
        "POST",
        "/api/cart/items",
        { product_id: product.id, quantity: 1, [field]: field === "currency" ? "usd" : 1 },
        shopper.tokens.access_token,
      );
      expect(response.status, field).toBe(422);
      expect((await readProblem(response)).errors, field).toContainEqual({
        path: `body.${field}`,
        message: "Unknown field",
      });
    }
    const cart = await (await shopper.client.fetch("/api/cart", { token: shopper.tokens.access_token })).json();
    expect(cart).toMatchObject({ items: [] });
  });

  it("an unknown, inactive or deleted product → 404", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const inactive = await createProduct(admin, { is_active: false });
    const deleted = await createProduct(admin);
    await admin.client.fetch(`/api/admin/products/${deleted.id}`, {
      method: "DELETE",
      token: admin.tokens.access_token,
    });
    for (const id of ["prd_unknown", inactive.id, deleted.id]) {
      const response = await shopper.client.json(
        "POST",
        "/api/cart/items",
        { product_id: id, quantity: 1 },
        shopper.tokens.access_token,
      );
      expect(response.status, id).toBe(404);
    }
  });

  it("more than the available quantity → 409 with the available count", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const product = await createProduct(admin);
    await setStockMirror(product.variant_id, 3);
    const response = await shopper.client.json(
      "POST",
      "/api/cart/items",
      { product_id: product.id, quantity: 4 },
      shopper.tokens.access_token,
    );
    expect(response.status).toBe(409);
    expect(await readProblem(response)).toMatchObject({
      type: "urn:edge-commerce:problem:insufficient_stock",
      available: 3,
    });
  });

  it("a cart holds at most MAX_CART_LINES lines", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const limits = { MAX_CART_LINES: "2" };
    const add = (productId: string) =>
      callWorkerWith(limits, "/api/cart/items", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          Authorization: `Bearer ${shopper.tokens.access_token}`,
          "CF-Connecting-IP": shopper.client.ip,
        },
        body: JSON.stringify({ product_id: productId, quantity: 1 }),
      });
    const products = [];
    for (let i = 0; i < 3; i++) {
      const product = await createProduct(admin);
      await setStockMirror(product.variant_id, 10);
      products.push(product);
    }
    expect((await add(products[0]?.id ?? "")).status).toBe(201);
    expect((await add(products[1]?.id ?? "")).status).toBe(201);
    const full = await add(products[2]?.id ?? "");
    expect(full.status).toBe(409);
    expect((await readProblem(full)).type).toBe("urn:edge-commerce:problem:cart_full");
    // Adding to a line that is already there still works in a full cart.
    expect((await add(products[0]?.id ?? "")).status).toBe(200);
  });

  it("another user's cart item is a 404, never a 403, for PATCH and DELETE", async () => {
    const admin = await signedInAdmin();
    const alice = await signedInUser();
    const mallory = await signedInUser();
    const product = await createProduct(admin);
    await setStockMirror(product.variant_id, 10);
    const cart = await (
      await alice.client.json(
        "POST",
        "/api/cart/items",
        { product_id: product.id, quantity: 1 },
        alice.tokens.access_token,
      )
    ).json();
    const itemId = (cart as { items: { id: string }[] }).items[0]?.id ?? "";
    const patch = await mallory.client.json(
      "PATCH",
      `/api/cart/items/${itemId}`,
      { quantity: 5 },
      mallory.tokens.access_token,
    );
    expect(patch.status).toBe(404);
    const remove = await mallory.client.fetch(`/api/cart/items/${itemId}`, {
      method: "DELETE",
      token: mallory.tokens.access_token,
    });
    expect(remove.status).toBe(404);
    const still = await (await alice.client.fetch("/api/cart", { token: alice.tokens.access_token })).json();
    expect(still).toMatchObject({ items: [{ id: itemId, quantity: 1 }] });
  });

  it("the cart needs a signed-in user", async () => {
    expect((await testClient().fetch("/api/cart")).status).toBe(401);
    expect((await testClient().json("POST", "/api/cart/items", { product_id: "x", quantity: 1 })).status).toBe(401);
  });
});
