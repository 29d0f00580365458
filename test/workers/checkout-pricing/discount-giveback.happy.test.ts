import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { discountRedemptions } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { orderReaches, paidOrder, requestRefund } from "../support/payments";
import { ADDRESS, addToCart, asShopper, placeOrder, STANDARD_SHIPPING } from "../support/shopping";
import { applyCode, createDiscountCode } from "../support/store-settings";

/** Bulgaria: no test gives it a zone, so the fallback's free "Standard" serves it. */
const CHECKOUT = { shipping_address: { ...ADDRESS, country: "BG" }, shipping_method_id: STANDARD_SHIPPING };

/** A paid order of 2 × 1000 with a 10 % code usable once in all, and the admin's refund call for it. */
async function paidOrderWithCode() {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 10, price_amount: 1000 });
  const code = await createDiscountCode(admin, { usage_limit: 1 });
  await addToCart(shopper, product.id, 2);
  const applied = await applyCode(shopper, code.code);
  expect(applied.status, await applied.clone().text()).toBe(200);
  const order = await paidOrder(shopper, await placeOrder(shopper, crypto.randomUUID(), CHECKOUT));
  expect(order).toMatchObject({ discountCode: code.code, discountAmount: 200, totalAmount: 1800 });
  const refund = (body: Record<string, unknown>) => requestRefund(admin, order.id, body);
  const use = async () => {
    const rows = await testDb().select().from(discountRedemptions).where(eq(discountRedemptions.orderId, order.id));
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  return { admin, product, code, order, refund, use };
}

describe("a refunded order and its discount code's use", () => {
  it("refunded in full, the order gives its use back, once; a partial refund keeps it", async () => {
    const { order, refund, use } = await paidOrderWithCode();
    expect((await use())?.releasedAt).toBeNull();

    const partial = await refund({ amount: 500, reason: "one item arrived broken", restock: false });
    expect(partial.status, await partial.clone().text()).toBe(202);
    await orderReaches(order.id, "partially_refunded");
    expect((await use())?.releasedAt).toBeNull();

    const rest = await refund({ reason: "returned the rest", restock: true });
    expect(rest.status, await rest.clone().text()).toBe(202);
    await orderReaches(order.id, "refunded");
    const released = await use();
    expect(released?.releasedAt).not.toBeNull();

    // Nothing more to refund: the use stays released as it was.
    const more = await refund({ reason: "again", restock: false });
    expect(more.status).toBeGreaterThanOrEqual(400);
    expect((await use())?.releasedAt).toBe(released?.releasedAt);
  });

  it("the use given back by a full refund lets the next shopper use a code limited to one order", async () => {
    const { product, code, order, refund } = await paidOrderWithCode();
    const next = asShopper(await signedInUser());
    await addToCart(next, product.id, 1);
    const refused = await applyCode(next, code.code);
    expect(refused.status).toBe(409);

    expect((await refund({ reason: "cancelled by the customer", restock: true })).status).toBe(202);
    await orderReaches(order.id, "refunded");
    const applied = await applyCode(next, code.code);
    expect(applied.status, await applied.clone().text()).toBe(200);
    const placed = await placeOrder(next, crypto.randomUUID(), CHECKOUT);
    expect(placed.status, await placed.clone().text()).toBe(201);
  });
});
