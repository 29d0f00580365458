import { eq, sum } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inventoryMovements, orders, productVariants } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { databaseThrough, heldPayments, Pushback } from "../support/faults";
import {
  addToCart,
  type OrderBody,
  orderStatusCounts,
  placeOrder,
  placeOrderWith,
  quickShoppers,
  stockOf,
} from "../support/shopping";
import { readProblem } from "../support/worker";

const IN_FLIGHT = "urn:edge-commerce:problem:idempotency_key_in_flight";

/** 200 shoppers, each with one unit of a product that has 10 in stock in the cart. */
async function twoHundredShoppersForTenUnits() {
  const admin = await signedInAdmin();
  const product = await createProduct(admin, { initial_stock: 10 });
  const shoppers = await quickShoppers(200);
  for (const shopper of shoppers) await addToCart(shopper, product.id, 1);
  return { product, shoppers };
}

/** The stock object, its mirror and the ledger all say: 10 on hand, 10 reserved, nothing more. */
async function expectTenReservedEverywhere(variantId: string) {
  const level = await stockOf(variantId).syncMirror();
  expect(level).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  const [mirror] = await testDb().select().from(productVariants).where(eq(productVariants.id, variantId));
  expect(mirror?.stockAvailable).toBe(0);
  const [ledger] = await testDb()
    .select({ onHand: sum(inventoryMovements.onHandDelta), reserved: sum(inventoryMovements.reservedDelta) })
    .from(inventoryMovements)
    .where(eq(inventoryMovements.variantId, variantId));
  expect({ onHand: Number(ledger?.onHand), reserved: Number(ledger?.reserved) }).toEqual({ onHand: 10, reserved: 10 });
}

describe("concurrent buyers of the last units", () => {
  it("200 concurrent checkouts for 10 units: exactly 10 orders, 190 refusals, nothing oversold or lost", {
    timeout: 120_000,
  }, async () => {
    const { product, shoppers } = await twoHundredShoppersForTenUnits();
    const answers = await Promise.all(shoppers.map((shopper) => placeOrder(shopper)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(190);

    const placed = await Promise.all(
      answers.filter((answer) => answer.status === 201).map((answer) => answer.json() as Promise<OrderBody>),
    );
    expect(await orderStatusCounts(shoppers)).toEqual({ awaiting_payment: 10, rejected: 190 });
    expect(new Set(placed.map((order) => order.id)).size).toBe(10);

    await expectTenReservedEverywhere(product.variant_id);
  });

  it("200 concurrent checkouts while the database refuses every fourth round trip (429 or SQLITE_BUSY): the same 10 orders, no 5xx", {
    timeout: 120_000,
  }, async () => {
    const { product, shoppers } = await twoHundredShoppersForTenUnits();
    const pushback = new Pushback(4);
    const answers = await Promise.all(
      shoppers.map((shopper) => placeOrderWith({}, shopper, crypto.randomUUID(), databaseThrough(pushback))),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(190);
    // The refusals happened (both kinds), and every one was retried rather than answered.
    expect(pushback.refused.tooMany).toBeGreaterThan(20);
    expect(pushback.refused.busy).toBeGreaterThan(20);

    await expectTenReservedEverywhere(product.variant_id);
  });

  it("the same Idempotency-Key sent 20 times at once creates one order", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 50 });
    const [shopper] = await quickShoppers(1);
    if (!shopper) throw new Error("no shopper");
    await addToCart(shopper, product.id, 2);
    const answers = await Promise.all(Array.from({ length: 20 }, () => placeOrder(shopper, "one-key")));
    // Which sends overlap is up to the scheduler, so each answer is the order (first or replayed) or the
    // in-flight problem; the next test pins the in-flight answer down deterministically.
    const created = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(created).toHaveLength(1);
    expect((await stockOf(product.variant_id).level()).reserved).toBe(2);
    const outcomes = await Promise.all(
      answers.map(async (answer) =>
        answer.status === 201
          ? { status: 201, id: ((await answer.json()) as OrderBody).id }
          : {
              status: answer.status,
              type: (await readProblem(answer)).type,
              retryAfter: answer.headers.get("retry-after"),
            },
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 201).length).toBeGreaterThanOrEqual(1);
    for (const outcome of outcomes) {
      expect(outcome).toEqual(
        outcome.status === 201
          ? { status: 201, id: created[0]?.id }
          : { status: 409, type: IN_FLIGHT, retryAfter: "1" },
      );
    }
  });

  it("a duplicate sent while the first request is still running is refused with 409 in flight, then replayed", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 50 });
    const [shopper] = await quickShoppers(1);
    if (!shopper) throw new Error("no shopper");
    await addToCart(shopper, product.id, 2);
    const key = crypto.randomUUID();
    // The first request stops inside checkout, after claiming the key and reserving, before it answers.
    const hold = heldPayments("createPayment");
    const first = placeOrderWith({}, shopper, key, hold.services);
    await hold.reached;

    const duplicate = await placeOrder(shopper, key);
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("retry-after")).toBe("1");
    expect(duplicate.headers.get("idempotent-replayed")).toBeNull();
    expect(await readProblem(duplicate)).toMatchObject({ type: IN_FLIGHT, status: 409 });

    hold.release();
    const answered = await first;
    expect(answered.status, await answered.clone().text()).toBe(201);
    const order = (await answered.json()) as OrderBody;
    const retried = await placeOrder(shopper, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(((await retried.json()) as OrderBody).id).toBe(order.id);

    const created = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(created.map((row) => row.id)).toEqual([order.id]);
    expect((await stockOf(product.variant_id).level()).reserved).toBe(2);
  });
});
