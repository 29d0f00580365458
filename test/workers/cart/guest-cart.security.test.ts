import { describe, expect, it } from "vitest";
import { cartTokenHash } from "../../../src/modules/cart/cart-token";
import {
  atStartOfRateLimitWindow,
  RATE_LIMIT_TEST_TIMEOUT,
  signedInAdmin,
  signedInUser,
  testClient,
} from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { asGuest, type GuestCartView, guestAdds, guestCartRow, startGuestCart } from "../support/guest-cart";
import { readProblem } from "../support/worker";

describe("cart tokens", () => {
  it("are 256 random bits, base64url, different every time; only their SHA-256 is stored", async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, async () => (await startGuestCart()).token));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const row = await guestCartRow(token);
      expect(row?.tokenHash).toBe(await cartTokenHash(token));
      expect(row?.userId).toBeNull();
      // The raw token is nowhere in the row.
      expect(JSON.stringify(row)).not.toContain(token);
    }
  });

  it("one guest can neither read nor change another guest's line (404)", async () => {
    const product = await createProduct(await signedInAdmin());
    await setStockMirror(product.variant_id, 10);
    const owner = await startGuestCart();
    const other = await startGuestCart();
    const [line] = (await guestAdds(owner, product.id, 2)).items;

    const patched = await asGuest(other, "PATCH", `/api/cart/items/${line?.id}`, { body: { quantity: 9 } });
    expect(patched.status).toBe(404);
    expect((await asGuest(other, "DELETE", `/api/cart/items/${line?.id}`)).status).toBe(404);
    expect((await asGuest(other, "DELETE", "/api/cart")).status).toBe(204);
    const theirs = (await (await asGuest(other, "GET", "/api/cart")).json()) as GuestCartView;
    expect(theirs.items).toEqual([]);

    const mine = (await (await asGuest(owner, "GET", "/api/cart")).json()) as GuestCartView;
    expect(mine.items.map((item) => [item.id, item.quantity])).toEqual([[line?.id, 2]]);
  });

  it("open nothing but the cart: as a bearer token they are refused everywhere, and Cart-Token is read only there", async () => {
    const { token, client } = await startGuestCart();
    for (const path of ["/api/cart", "/api/users/me", "/api/orders", "/api/wishlist", "/api/admin/users"]) {
      const asBearer = await client.fetch(path, { token });
      expect(asBearer.status, path).toBe(401);
      expect((await readProblem(asBearer)).type).toBe("urn:edge-commerce:problem:invalid_token");
      const asCartToken = await client.fetch(path, { headers: { "Cart-Token": token } });
      expect(asCartToken.status, path).toBe(path === "/api/cart" ? 200 : 401);
    }
  });

  it("with an account's bearer token, the account's cart is used and the cart token ignored", async () => {
    const product = await createProduct(await signedInAdmin());
    await setStockMirror(product.variant_id, 10);
    const guest = await startGuestCart();
    await guestAdds(guest, product.id, 1);
    const user = await signedInUser();
    const both = await asGuest(guest, "GET", "/api/cart", {
      headers: { Authorization: `Bearer ${user.tokens.access_token}` },
    });
    expect(both.status).toBe(200);
    const cart = (await both.json()) as GuestCartView;
    expect(cart.items).toEqual([]);
    expect(cart.expires_at).toBeUndefined();
  });

  it(
    "creation is rate-limited per client: the 21st cart in a minute is 429 with Retry-After",
    async () => {
      await atStartOfRateLimitWindow();
      const client = testClient();
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const response = await client.fetch("/api/carts", { method: "POST" });
        statuses.push(response.status);
        if (response.status === 429) expect(response.headers.get("retry-after")).toBe("60");
      }
      expect(statuses).toEqual([...Array(20).fill(201), 429]);
      // Another client is unaffected.
      expect((await testClient().fetch("/api/carts", { method: "POST" })).status).toBe(201);
    },
    RATE_LIMIT_TEST_TIMEOUT,
  );
});
