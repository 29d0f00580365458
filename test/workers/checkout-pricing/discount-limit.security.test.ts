import { and, eq, inArray, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkoutSteps, prepareCheckout } from "../../../src/modules/orders/checkout";
import { carts, discountRedemptions, orders } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { paidOrder } from "../support/payments";
import { orderServices, sessionOf } from "../support/services";
import {
  ADDRESS,
  addToCart,
  type OrderBody,
  placeOrder,
  quickShoppers,
  type Shopper,
  STANDARD_SHIPPING,
  stockOf,
} from "../support/shopping";
import { applyCode, createDiscountCode } from "../support/store-settings";
import { readProblem } from "../support/worker";

const LIMIT_REACHED = "urn:edge-commerce:problem:discount_limit_reached";
const CUSTOMER_LIMIT_REACHED = "urn:edge-commerce:problem:discount_customer_limit_reached";

/** Romania: no test gives it a zone, so the fallback's free "Standard" serves it. */
const CHECKOUT = { shipping_address: { ...ADDRESS, country: "RO" }, shipping_method_id: STANDARD_SHIPPING };

function checkout(shopper: Shopper) {
  return placeOrder(shopper, crypto.randomUUID(), CHECKOUT);
}

async function codeApplied(shopper: Shopper, code: string) {
  const response = await applyCode(shopper, code);
  expect(response.status, await response.clone().text()).toBe(200);
}

/** `count` shoppers, each with one unit of `productId` and the code in the cart. */
async function shoppersWithCode(count: number, productId: string, code: string) {
  const shoppers = await quickShoppers(count);
  for (const shopper of shoppers) {
    await addToCart(shopper, productId, 1);
    await codeApplied(shopper, code);
  }
  return shoppers;
}

async function redemptionsOf(codeId: string) {
  return testDb().select().from(discountRedemptions).where(eq(discountRedemptions.codeId, codeId));
}

async function unreleased(codeId: string) {
  return testDb()
    .select()
    .from(discountRedemptions)
    .where(and(eq(discountRedemptions.codeId, codeId), isNull(discountRedemptions.releasedAt)));
}

describe("a code's usage limit under concurrent checkouts", () => {
  it("20 concurrent checkouts with a code usable 5 times: 5 orders with it, 15 refusals, no stock held for them; a cancelled order gives its use back once", {
    timeout: 120_000,
  }, async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 100, price_amount: 2000 });
    const code = await createDiscountCode(admin, { usage_limit: 5 });
    const shoppers = await shoppersWithCode(20, product.id, code.code);

    const answers = await Promise.all(shoppers.map((shopper) => checkout(shopper)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(15);
    const refusals = await Promise.all(answers.filter((answer) => answer.status === 409).map(readProblem));
    for (const refusal of refusals) expect(refusal.type).toBe(LIMIT_REACHED);
    const placed = await Promise.all(
      answers
        .filter((answer) => answer.status === 201)
        .map((answer) => answer.json() as Promise<OrderBody & { discount_code: string | null }>),
    );
    for (const order of placed) expect(order.discount_code).toBe(code.code);

    const uses = await unreleased(code.id);
    expect(uses).toHaveLength(5);
    expect(uses.map((use) => use.orderId).sort()).toEqual(placed.map((order) => order.id).sort());
    const withCode = await testDb()
      .select()
      .from(orders)
      .where(
        and(
          eq(orders.discountCode, code.code),
          inArray(
            orders.userId,
            shoppers.map((shopper) => shopper.id),
          ),
        ),
      );
    expect(withCode).toHaveLength(5);
    // The refused checkouts wrote no order and hold no stock: only the 5 orders' units are reserved.
    const ordersOfShoppers = await testDb()
      .select()
      .from(orders)
      .where(
        inArray(
          orders.userId,
          shoppers.map((shopper) => shopper.id),
        ),
      );
    expect(ordersOfShoppers.map((order) => order.status)).toEqual(Array(5).fill("awaiting_payment"));
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 100, reserved: 5 });

    // One of the 5 is cancelled: its use comes back, once.
    const [cancelled] = placed;
    if (!cancelled) throw new Error("no order placed");
    const owner = shoppers.find(
      (shopper) => shopper.id === ordersOfShoppers.find((o) => o.id === cancelled.id)?.userId,
    );
    if (!owner) throw new Error("no owner");
    const cancel = () =>
      owner.client.fetch(`/api/orders/${cancelled.id}/cancel`, { method: "POST", token: owner.token });
    expect((await cancel()).status).toBe(200);
    const released = (await redemptionsOf(code.id)).find((use) => use.orderId === cancelled.id);
    expect(released?.releasedAt).not.toBeNull();
    expect(await unreleased(code.id)).toHaveLength(4);
    expect((await cancel()).status).toBeGreaterThanOrEqual(400);
    expect((await redemptionsOf(code.id)).find((use) => use.orderId === cancelled.id)?.releasedAt).toBe(
      released?.releasedAt,
    );
    expect(await unreleased(code.id)).toHaveLength(4);

    // One more shopper can use it now, and the one after is refused again.
    const [next, last] = await shoppersWithCode(2, product.id, code.code);
    if (!next || !last) throw new Error("no shoppers");
    const nextOrder = await checkout(next);
    expect(nextOrder.status, await nextOrder.clone().text()).toBe(201);
    expect(((await nextOrder.json()) as { discount_code: string | null }).discount_code).toBe(code.code);
    const refused = await checkout(last);
    expect(refused.status).toBe(409);
    expect((await readProblem(refused)).type).toBe(LIMIT_REACHED);
    expect(await unreleased(code.id)).toHaveLength(5);
    expect(await redemptionsOf(code.id)).toHaveLength(6);
  });
});

describe("the limit is the database's, not the read's", () => {
  it("6 checkouts that all read the code as unused before any wrote: the write of the 6th is refused by the trigger", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 10 });
    const code = await createDiscountCode(admin, { usage_limit: 5 });
    const shoppers = await shoppersWithCode(6, product.id, code.code);
    const services = orderServices();
    // Every snapshot is prepared (cart, code and its uses read) before any order is written: each saw 0 uses.
    const states = [];
    for (const shopper of shoppers)
      states.push(await prepareCheckout(services, await sessionOf(services, shopper.token), CHECKOUT));
    const [snapshot] = checkoutSteps(services);
    if (!snapshot) throw new Error("checkout has no steps");
    const outcomes = [];
    for (const state of states)
      outcomes.push(
        await snapshot.run(state).then(
          () => "written",
          (error: unknown) => error,
        ),
      );
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill("written"));
    expect(outcomes[5]).toMatchObject({ status: 409, code: "discount_limit_reached" });
    expect(await unreleased(code.id)).toHaveLength(5);
    const sixth = states[5];
    const written = await testDb()
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.id, sixth?.orderId ?? ""));
    expect(written).toEqual([]);
  });
});

describe("a code's per-customer limit", () => {
  it("a shopper who used a code limited to 1 per customer is refused it on the next order, at checkout too", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 20, price_amount: 1500 });
    const code = await createDiscountCode(admin, { per_customer_limit: 1 });
    const [shopper, other] = await shoppersWithCode(2, product.id, code.code);
    if (!shopper || !other) throw new Error("no shoppers");

    const first = await paidOrder(shopper, await checkout(shopper));
    expect(first.discountCode).toBe(code.code);

    // Applying it again is refused for this shopper.
    await addToCart(shopper, product.id, 1);
    const again = await applyCode(shopper, code.code);
    expect(again.status).toBe(409);
    expect((await readProblem(again)).type).toBe(CUSTOMER_LIMIT_REACHED);

    // Put into the cart directly (as if applied before the first order), checkout refuses it too.
    await testDb().update(carts).set({ discountCodeId: code.id }).where(eq(carts.userId, shopper.id));
    const second = await checkout(shopper);
    expect(second.status).toBe(409);
    expect((await readProblem(second)).type).toBe(CUSTOMER_LIMIT_REACHED);
    expect(await testDb().select().from(orders).where(eq(orders.userId, shopper.id))).toHaveLength(1);

    // Another customer still may.
    const theirs = await checkout(other);
    expect(theirs.status, await theirs.clone().text()).toBe(201);
    expect(await unreleased(code.id)).toHaveLength(2);
  });
});
