import { describe, expect, it } from "vitest";
import { login, registerAccount, signedInAdmin } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { accountCart, asGuest, guestAdds, signInWithCart, startGuestCart } from "../support/guest-cart";

async function stockedProducts(count: number) {
  const admin = await signedInAdmin();
  const products = [];
  for (let i = 0; i < count; i++) {
    const product = await createProduct(admin);
    await setStockMirror(product.variant_id, 100);
    products.push(product.id);
  }
  return products;
}

describe("signing in with a guest cart's token", () => {
  it("merges its lines into the account's cart, says how many, and ends the guest cart", async () => {
    const [tea, mug] = await stockedProducts(2);
    const account = await registerAccount();
    const before = await login(account);
    await account.client.json("POST", "/api/cart/items", { product_id: tea, quantity: 1 }, before.access_token);
    const guest = await startGuestCart();
    await guestAdds(guest, tea ?? "", 2);
    await guestAdds(guest, mug ?? "", 3);

    const signedIn = await signInWithCart(account, guest.token);
    expect(signedIn.cart_merged).toEqual({ lines: 2 });
    expect(await accountCart(account, signedIn.access_token)).toEqual([
      [tea, 3],
      [mug, 3],
    ]);
    expect((await asGuest(guest, "GET", "/api/cart")).status).toBe(401);
  });

  it("gives an account without a cart one; a sign-in without a cart token says nothing about carts", async () => {
    const [tea] = await stockedProducts(1);
    const account = await registerAccount();
    expect(await login(account)).not.toHaveProperty("cart_merged");
    const guest = await startGuestCart();
    await guestAdds(guest, tea ?? "", 4);
    const signedIn = await signInWithCart(account, guest.token);
    expect(signedIn.cart_merged).toEqual({ lines: 1 });
    expect(await accountCart(account, signedIn.access_token)).toEqual([[tea, 4]]);
  });

  it("caps a merged line at MAX_QTY_PER_LINE and adds new lines, oldest first, only while there is room", async () => {
    const limits = { MAX_QTY_PER_LINE: "10", MAX_CART_LINES: "3" };
    const [shared, mine, first, second, third] = await stockedProducts(5);
    const account = await registerAccount();
    const before = await login(account);
    await account.client.json("POST", "/api/cart/items", { product_id: shared, quantity: 8 }, before.access_token);
    await account.client.json("POST", "/api/cart/items", { product_id: mine, quantity: 1 }, before.access_token);
    const guest = await startGuestCart();
    for (const product of [first, shared, second, third]) await guestAdds(guest, product ?? "", 5);

    const signedIn = await signInWithCart(account, guest.token, limits);
    // The shared line (capped) and one new line: the cart had room for one more of the three.
    expect(signedIn.cart_merged).toEqual({ lines: 2 });
    expect(await accountCart(account, signedIn.access_token)).toEqual([
      [shared, 10],
      [mine, 1],
      [first, 5],
    ]);
  });
});
