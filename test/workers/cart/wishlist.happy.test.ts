import { describe, expect, it } from "vitest";
import { signedInAdmin, signedInUser } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { readProblem } from "../support/worker";

interface WishlistPage {
  data: { product_id: string; product: { is_active: boolean } }[];
  next_cursor: string | null;
}

describe("the wishlist", () => {
  it("PUT is idempotent, lists newest first with cursor pages, DELETE removes (404 when absent)", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const token = shopper.tokens.access_token;
    const products = [];
    for (let i = 0; i < 3; i++) products.push(await createProduct(admin));

    for (const product of products) {
      const response = await shopper.client.fetch(`/api/wishlist/${product.id}`, { method: "PUT", token });
      expect(response.status).toBe(200);
    }
    const again = await shopper.client.fetch(`/api/wishlist/${products[0]?.id}`, { method: "PUT", token });
    expect(again.status).toBe(200);

    const first = (await (await shopper.client.fetch("/api/wishlist?limit=2", { token })).json()) as WishlistPage;
    const second = (await (
      await shopper.client.fetch(`/api/wishlist?limit=2&cursor=${first.next_cursor}`, { token })
    ).json()) as WishlistPage;
    const all = [...first.data, ...second.data].map((item) => item.product_id);
    expect(all).toHaveLength(3);
    expect(new Set(all)).toEqual(new Set(products.map((product) => product.id)));
    expect(second.next_cursor).toBeNull();

    expect((await shopper.client.fetch(`/api/wishlist/${products[1]?.id}`, { method: "DELETE", token })).status).toBe(
      204,
    );
    expect((await shopper.client.fetch(`/api/wishlist/${products[1]?.id}`, { method: "DELETE", token })).status).toBe(
      404,
    );
  });

  it("a product that stops being for sale stays listed with is_active false; unknown products cannot be added", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const token = shopper.tokens.access_token;
    const product = await createProduct(admin);
    await shopper.client.fetch(`/api/wishlist/${product.id}`, { method: "PUT", token });
    await admin.client.json(
      "PATCH",
      `/api/admin/products/${product.id}`,
      { is_active: false },
      admin.tokens.access_token,
    );
    const page = (await (await shopper.client.fetch("/api/wishlist", { token })).json()) as WishlistPage;
    expect(page.data).toEqual([
      expect.objectContaining({ product_id: product.id, product: expect.objectContaining({ is_active: false }) }),
    ]);
    expect((await shopper.client.fetch("/api/wishlist/prd_unknown", { method: "PUT", token })).status).toBe(404);
  });

  it("wishlists are private to their owner", async () => {
    const admin = await signedInAdmin();
    const alice = await signedInUser();
    const bob = await signedInUser();
    const product = await createProduct(admin);
    await alice.client.fetch(`/api/wishlist/${product.id}`, { method: "PUT", token: alice.tokens.access_token });
    const bobs = (await (
      await bob.client.fetch("/api/wishlist", { token: bob.tokens.access_token })
    ).json()) as WishlistPage;
    expect(bobs.data).toEqual([]);
    const removal = await bob.client.fetch(`/api/wishlist/${product.id}`, {
      method: "DELETE",
      token: bob.tokens.access_token,
    });
    expect(removal.status).toBe(404);
    expect((await readProblem(removal)).type).toBe("urn:edge-commerce:problem:not_found");
    // Untouched: Bob's DELETE named a product, not Alice's entry.
    const alices = (await (
      await alice.client.fetch("/api/wishlist", { token: alice.tokens.access_token })
    ).json()) as WishlistPage;
    expect(alices.data.map((entry) => entry.product_id)).toEqual([product.id]);
  });
});
