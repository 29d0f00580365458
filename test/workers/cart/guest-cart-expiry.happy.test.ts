import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deleteExpiredGuestCarts } from "../../../src/modules/cart";
import { cartItems, carts } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { runCron } from "../support/clock";
import { guestAdds, guestCartRow, startGuestCart } from "../support/guest-cart";
import { addToCart, asShopper } from "../support/shopping";

/**
 * Guest carts with a line each, expired in the first seconds of 2000 in the order made: the oldest expired carts
 * in the database, so a sweep at `SWEEP_AT` sees them first and nothing else.
 */
async function expiredGuestCarts(count: number) {
  const product = await createProduct(await signedInAdmin());
  await setStockMirror(product.variant_id, 100);
  const tokens: string[] = [];
  for (let index = 0; index < count; index++) {
    const guest = await startGuestCart();
    await guestAdds(guest, product.id, 1);
    const at = new Date(Date.UTC(2000, 0, 1, 0, 0, index + 1)).toISOString();
    await testDb()
      .update(carts)
      .set({ expiresAt: at })
      .where(eq(carts.id, (await guestCartRow(guest.token))?.id ?? ""));
    tokens.push(guest.token);
  }
  return tokens;
}

const SWEEP_AT = new Date("2000-01-01T01:00:00Z");

async function isStored(token: string): Promise<boolean> {
  return (await guestCartRow(token)) !== undefined;
}

describe("the cron's sweep of expired guest carts", () => {
  it("deletes at most one batch per run, oldest first, with their lines; the next run takes the rest", async () => {
    const tokens = await expiredGuestCarts(3);
    const ids = await Promise.all(tokens.map(async (token) => (await guestCartRow(token))?.id ?? ""));
    expect(await deleteExpiredGuestCarts(testDb(), SWEEP_AT, 2)).toBe(2);
    expect(await Promise.all(tokens.map(isStored))).toEqual([false, false, true]);
    expect(await deleteExpiredGuestCarts(testDb(), SWEEP_AT, 2)).toBe(1);
    expect(await isStored(tokens[2] ?? "")).toBe(false);
    for (const id of ids) {
      expect(await testDb().select().from(cartItems).where(eq(cartItems.cartId, id))).toEqual([]);
    }
  });

  it("runs with the cron trigger; carts not yet expired and users' carts stay", async () => {
    const [expired = ""] = await expiredGuestCarts(1);
    const live = await startGuestCart();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(await signedInAdmin());
    await setStockMirror(product.variant_id, 10);
    await addToCart(shopper, product.id, 1);

    await runCron();
    expect(await isStored(expired)).toBe(false);
    expect(await isStored(live.token)).toBe(true);
    const [userCart] = await testDb().select().from(carts).where(eq(carts.userId, shopper.id));
    expect(userCart).toBeDefined();
  });
});
