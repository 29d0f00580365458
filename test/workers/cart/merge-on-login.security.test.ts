import { afterEach, describe, expect, it, vi } from "vitest";
import { newCartToken } from "../../../src/modules/cart/cart-token";
import { registerAccount, signedInAdmin } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { passTime } from "../support/clock";
import { accountCart, guestAdds, guestCartRow, signInWithCart, startGuestCart } from "../support/guest-cart";

afterEach(() => {
  vi.useRealTimers();
});

async function guestWithLine(quantity: number) {
  const product = await createProduct(await signedInAdmin());
  await setStockMirror(product.variant_id, 100);
  const guest = await startGuestCart();
  await guestAdds(guest, product.id, quantity);
  return { guest, productId: product.id };
}

describe("merging a guest cart on sign-in", () => {
  it("five concurrent sign-ins with one cart token merge it exactly once", async () => {
    const { guest, productId } = await guestWithLine(3);
    // Five accounts, so the sign-in backoff (which admits one attempt at a time per account) holds none back.
    const accounts = await Promise.all(Array.from({ length: 5 }, () => registerAccount()));
    const signIns = await Promise.all(accounts.map((account) => signInWithCart(account, guest.token)));
    expect(signIns.filter((signIn) => signIn.cart_merged !== undefined)).toEqual([
      expect.objectContaining({ cart_merged: { lines: 1 } }),
    ]);
    const carts = await Promise.all(
      accounts.map((account, index) => accountCart(account, signIns[index]?.access_token ?? "")),
    );
    expect(carts.flat()).toEqual([[productId, 3]]);
    expect(await guestCartRow(guest.token)).toBeUndefined();
  });

  it("a token of the wrong shape, unknown or expired merges nothing and does not stop the sign-in", async () => {
    const { guest } = await guestWithLine(1);
    const account = await registerAccount();
    for (const token of ["not-a-cart-token", newCartToken()]) {
      expect((await signInWithCart(account, token)).cart_merged).toBeUndefined();
    }
    passTime(31 * 86_400);
    const signedIn = await signInWithCart(account, guest.token);
    expect(signedIn.cart_merged).toBeUndefined();
    expect(await accountCart(account, signedIn.access_token)).toEqual([]);
  });
});
