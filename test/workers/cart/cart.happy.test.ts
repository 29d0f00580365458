import { describe, expect, it } from "vitest";
import { signedInAdmin, signedInUser } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";

interface Cart {
  items: {
    id: string;
    product_id: string;
    unit_price_amount: number;
    quantity: number;
    line_amount: number;
    available: boolean;
  }[];
  subtotal_amount: number;
  currency: string;
  item_count: number;
  warnings: { code: string; item_id: string; available?: number }[];
}

async function stocked(admin: Awaited<ReturnType<typeof signedInAdmin>>, price: number, stock = 100) {
  const product = await createProduct(admin, { price_amount: price });
  await setStockMirror(product.variant_id, stock);
  return product;
}

describe("the cart", () => {
  it("adds lines, merges repeated adds, and totals in integers from current prices", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const token = shopper.tokens.access_token;
    const tea = await stocked(admin, 333);
    const mug = await stocked(admin, 1999);

    const first = await shopper.client.json("POST", "/api/cart/items", { product_id: tea.id, quantity: 3 }, token);
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toMatch(/^\/api\/cart\/items\/cit_/);
    await shopper.client.json("POST", "/api/cart/items", { product_id: mug.id, quantity: 1 }, token);
    const merged = await shopper.client.json("POST", "/api/cart/items", { product_id: tea.id, quantity: 4 }, token);
    expect(merged.status).toBe(200);
    const cart = (await merged.json()) as Cart;
    expect(cart.items.map((item) => [item.product_id, item.quantity, item.line_amount])).toEqual([
      [tea.id, 7, 2331],
      [mug.id, 1, 1999],
    ]);
    expect(cart).toMatchObject({ subtotal_amount: 4330, currency: "usd", item_count: 8, warnings: [] });

    // Prices are never stored with the line: a price change shows at once.
    await admin.client.json(
      "PATCH",
      `/api/admin/variants/${tea.variant_id}`,
      { price_amount: 350 },
      admin.tokens.access_token,
    );
    const repriced = (await (await shopper.client.fetch("/api/cart", { token })).json()) as Cart;
    expect(repriced.subtotal_amount).toBe(350 * 7 + 1999);
  });

  it("a deactivated or deleted product stays in the cart with a warning and out of the subtotal", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const token = shopper.tokens.access_token;
    const kept = await stocked(admin, 500);
    const retired = await stocked(admin, 700);
    const removed = await stocked(admin, 900);
    for (const product of [kept, retired, removed]) {
      await shopper.client.json("POST", "/api/cart/items", { product_id: product.id, quantity: 1 }, token);
    }
    await admin.client.json(
      "PATCH",
      `/api/admin/products/${retired.id}`,
      { is_active: false },
      admin.tokens.access_token,
    );
    await admin.client.fetch(`/api/admin/products/${removed.id}`, {
      method: "DELETE",
      token: admin.tokens.access_token,
    });

    const cart = (await (await shopper.client.fetch("/api/cart", { token })).json()) as Cart;
    expect(cart.items).toHaveLength(3);
    expect(
      cart.items
        .filter((item) => !item.available)
        .map((item) => item.product_id)
        .sort(),
    ).toEqual([retired.id, removed.id].sort());
    expect(cart.subtotal_amount).toBe(500);
    expect(cart.warnings.map((warning) => warning.code)).toEqual(["product_unavailable", "product_unavailable"]);
  });

  it("warns when the stock shown fell below a line's quantity", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const product = await stocked(admin, 100, 5);
    await shopper.client.json(
      "POST",
      "/api/cart/items",
      { product_id: product.id, quantity: 4 },
      shopper.tokens.access_token,
    );
    await setStockMirror(product.variant_id, 2);
    const cart = (await (
      await shopper.client.fetch("/api/cart", { token: shopper.tokens.access_token })
    ).json()) as Cart;
    expect(cart.warnings).toEqual([expect.objectContaining({ code: "insufficient_stock", available: 2 })]);
  });

  it("PATCH sets a quantity, DELETE removes a line, DELETE /api/cart empties it", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const token = shopper.tokens.access_token;
    const a = await stocked(admin, 100);
    const b = await stocked(admin, 200);
    await shopper.client.json("POST", "/api/cart/items", { product_id: a.id, quantity: 1 }, token);
    const added = (await (
      await shopper.client.json("POST", "/api/cart/items", { product_id: b.id, quantity: 1 }, token)
    ).json()) as Cart;
    const lineA = added.items[0]?.id ?? "";
    const lineB = added.items[1]?.id ?? "";

    const patched = await shopper.client.json("PATCH", `/api/cart/items/${lineA}`, { quantity: 5 }, token);
    expect(((await patched.json()) as Cart).subtotal_amount).toBe(700);
    expect((await shopper.client.fetch(`/api/cart/items/${lineB}`, { method: "DELETE", token })).status).toBe(204);
    expect(((await (await shopper.client.fetch("/api/cart", { token })).json()) as Cart).items).toHaveLength(1);
    expect((await shopper.client.fetch("/api/cart", { method: "DELETE", token })).status).toBe(204);
    expect(await (await shopper.client.fetch("/api/cart", { token })).json()).toMatchObject({
      items: [],
      subtotal_amount: 0,
    });
  });
});
