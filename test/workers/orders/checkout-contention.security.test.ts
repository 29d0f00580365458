import { eq, inArray, sum } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inventoryMovements, orders, products } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { addToCart, type OrderBody, placeOrder, quickShoppers, stockOf } from "../support/shopping";

describe("concurrent buyers of the last units", () => {
  it("200 concurrent checkouts for 10 units: exactly 10 orders, 190 refusals, nothing oversold or lost", {
    timeout: 120_000,
  }, async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 10 });
    const shoppers = await quickShoppers(200);
    for (const shopper of shoppers) await addToCart(shopper, product.id, 1);

    const answers = await Promise.all(shoppers.map((shopper) => placeOrder(shopper)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(190);

    const placed = await Promise.all(
      answers.filter((answer) => answer.status === 201).map((answer) => answer.json() as Promise<OrderBody>),
    );
    const rows = await testDb()
      .select({ status: orders.status })
      .from(orders)
      .where(
        inArray(
          orders.userId,
          shoppers.map((shopper) => shopper.id),
        ),
      );
    expect(rows.filter((row) => row.status === "awaiting_payment")).toHaveLength(10);
    expect(rows.filter((row) => row.status === "rejected")).toHaveLength(190);
    expect(new Set(placed.map((order) => order.id)).size).toBe(10);

    const level = await stockOf(product.id).syncMirror();
    expect(level).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    const [mirror] = await testDb().select().from(products).where(eq(products.id, product.id));
    expect(mirror?.stockAvailable).toBe(0);
    const [ledger] = await testDb()
      .select({ onHand: sum(inventoryMovements.onHandDelta), reserved: sum(inventoryMovements.reservedDelta) })
      .from(inventoryMovements)
      .where(eq(inventoryMovements.productId, product.id));
    expect({ onHand: Number(ledger?.onHand), reserved: Number(ledger?.reserved) }).toEqual({
      onHand: 10,
      reserved: 10,
    });
  });

  it("the same Idempotency-Key sent 20 times at once creates one order", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 50 });
    const [shopper] = await quickShoppers(1);
    if (!shopper) throw new Error("no shopper");
    await addToCart(shopper, product.id, 2);
    const answers = await Promise.all(Array.from({ length: 20 }, () => placeOrder(shopper, "one-key")));
    const statuses = answers.map((answer) => answer.status);
    // Each answer is the order itself (first or replayed) or "still in flight"; never a second order.
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    const created = await testDb().select().from(orders).where(eq(orders.userId, shopper.id));
    expect(created).toHaveLength(1);
    expect((await stockOf(product.id).level()).reserved).toBe(2);
    const ids = new Set(
      await Promise.all(
        answers
          .filter((answer) => answer.status === 201)
          .map(async (answer) => ((await answer.json()) as OrderBody).id),
      ),
    );
    expect([...ids]).toEqual([created[0]?.id]);
  });
});
