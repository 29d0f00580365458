/**
 * What the database itself refuses (migration 0010), whatever code writes: an order whose amounts do not add up,
 * an order that belongs to nobody, a cart with no owner or two.
 */
import { describe, expect, it } from "vitest";
import { isRaisedBy } from "../../../src/platform/db/errors";
import { carts, orders } from "../../../src/schema";
import { signedInUser, testDb, unique } from "../support/accounts";
import { ADDRESS } from "../support/shopping";

const at = new Date().toISOString();

/** Expects the write refused by the named constraint (the database's message, down the error's causes). */
async function refusedBy(write: PromiseLike<unknown>, constraint: string) {
  const error = await Promise.resolve(write).then(
    () => undefined,
    (refusal: unknown) => refusal,
  );
  expect(isRaisedBy(error, `CHECK constraint failed: ${constraint}`), constraint).toBe(true);
}

async function order(overrides: Partial<typeof orders.$inferInsert>) {
  const { id: userId } = await signedInUser();
  return testDb()
    .insert(orders)
    .values({
      id: unique("ord_"),
      userId,
      status: "pending",
      subtotalAmount: 1000,
      discountAmount: 100,
      shippingAmount: 200,
      taxAmount: 220,
      totalAmount: 1000 - 100 + 200 + 220,
      currency: "usd",
      shippingAddress: { ...ADDRESS, country: "GB" },
      createdAt: at,
      updatedAt: at,
      ...overrides,
    });
}

describe("the database refuses what does not add up or belongs to nobody", () => {
  it("an order whose total is not subtotal − discount + shipping (+ tax when added) is refused", async () => {
    await expect(order({})).resolves.toBeDefined();
    await expect(order({ pricesIncludeTax: true, totalAmount: 1100 })).resolves.toBeDefined();
    await refusedBy(order({ totalAmount: 1319 }), "orders_total_identity");
    await refusedBy(order({ pricesIncludeTax: true, totalAmount: 1320 }), "orders_total_identity");
    await refusedBy(order({ discountAmount: 1100, totalAmount: 320 }), "orders_amounts_non_negative");
  });

  it("an order without an account needs a guest cart and an email", async () => {
    await expect(
      order({ userId: null, email: "guest@example.com", guestCartId: unique("crt_") }),
    ).resolves.toBeDefined();
    await refusedBy(order({ userId: null, email: "guest@example.com" }), "orders_owner");
    await refusedBy(order({ userId: null, guestCartId: unique("crt_") }), "orders_owner");
  });

  it("a cart has exactly one owner, an account or a token (with its expiry)", async () => {
    const { id: userId } = await signedInUser();
    const cart = (values: Partial<typeof carts.$inferInsert>) =>
      testDb()
        .insert(carts)
        .values({ id: unique("crt_"), createdAt: at, updatedAt: at, ...values });
    await expect(cart({ tokenHash: unique("hash"), expiresAt: at })).resolves.toBeDefined();
    await refusedBy(cart({}), "carts_one_owner");
    await refusedBy(cart({ userId, tokenHash: unique("hash"), expiresAt: at }), "carts_one_owner");
    await refusedBy(cart({ tokenHash: unique("hash") }), "carts_one_owner");
  });
});
