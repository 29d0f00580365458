import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProductStock } from "../../../src/modules/inventory/product-stock";
import { productVariants } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { ledgerTotals, stockOf } from "../support/shopping";

afterEach(() => {
  vi.useRealTimers();
});

async function newProduct(initialStock: number) {
  const admin = await signedInAdmin();
  return { admin, product: await createProduct(admin, { initial_stock: initialStock }) };
}

describe("ProductStock Durable Object", () => {
  it("starts from the product's initial stock and mirrors it to the catalog", async () => {
    const { product } = await newProduct(7);
    expect(product.stock_available).toBe(7);
    const level = await stockOf(product.variant_id).level();
    expect(level).toMatchObject({ variantId: product.variant_id, onHand: 7, reserved: 0, available: 7 });
  });

  it("reserve, commit and release change available and on hand as promised", async () => {
    const { product } = await newProduct(10);
    const stock = stockOf(product.variant_id);
    expect(await stock.reserve("ord_a", 3, 900)).toMatchObject({ ok: true, state: "reserved", available: 7 });
    expect(await stock.reserve("ord_b", 2, 900)).toMatchObject({ ok: true, available: 5 });
    expect(await stock.commit("ord_a")).toMatchObject({ ok: true, state: "committed" });
    expect(await stock.level()).toMatchObject({ onHand: 7, reserved: 2, available: 5 });
    expect(await stock.release("ord_b")).toMatchObject({ ok: true, state: "released" });
    expect(await stock.level()).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect(await stock.restock("ord_a")).toMatchObject({ ok: true, state: "restocked" });
    expect(await stock.level()).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
  });

  it("a replayed reserve, commit, release or restock returns the first answer and changes nothing", async () => {
    const { product } = await newProduct(5);
    const stock = stockOf(product.variant_id);
    const first = await stock.reserve("ord_r", 2, 900);
    expect(await stock.reserve("ord_r", 2, 900)).toMatchObject({ ok: true, state: "reserved", quantity: 2 });
    expect(await stock.reserve("ord_r", 4, 900)).toMatchObject({ ok: true, quantity: 2 });
    expect((await stock.level()).reserved).toBe(2);
    expect(first.ok).toBe(true);

    await stock.commit("ord_r");
    expect(await stock.commit("ord_r")).toMatchObject({ ok: true, state: "committed" });
    expect(await stock.release("ord_r")).toMatchObject({ ok: false, state: "committed" });
    expect(await stock.reserve("ord_r", 2, 900)).toMatchObject({ ok: true, state: "committed" });
    expect(await stock.level()).toMatchObject({ onHand: 3, reserved: 0 });

    await stock.restock("ord_r");
    await stock.restock("ord_r");
    expect((await stock.level()).onHand).toBe(5);

    await stock.reserve("ord_x", 1, 900);
    await stock.release("ord_x");
    expect(await stock.release("ord_x")).toMatchObject({ ok: true, state: "released" });
    expect(await stock.commit("ord_x")).toMatchObject({ ok: false, state: "released" });
    expect(await stock.level()).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("refuses more than is available and remembers the refusal", async () => {
    const { product } = await newProduct(2);
    const stock = stockOf(product.variant_id);
    expect(await stock.reserve("ord_big", 3, 900)).toMatchObject({ ok: false, state: "refused", available: 2 });
    expect(await stock.reserve("ord_big", 1, 900)).toMatchObject({ ok: false, state: "refused" });
    expect((await stock.level()).reserved).toBe(0);
  });

  it("set and adjust never go below what is reserved", async () => {
    const { product } = await newProduct(10);
    const stock = stockOf(product.variant_id);
    await stock.reserve("ord_hold", 6, 900);
    expect(await stock.set(5, "count", "usr_admin")).toMatchObject({ ok: false, error: "below_reserved" });
    expect(await stock.adjust(-5, "damaged", "usr_admin")).toMatchObject({ ok: false, error: "below_reserved" });
    expect(await stock.set(6, "count", "usr_admin")).toMatchObject({ ok: true, level: { onHand: 6, available: 0 } });
    expect(await stock.adjust(4, "delivery", "usr_admin")).toMatchObject({
      ok: true,
      level: { onHand: 10, available: 4 },
    });
  });

  it("the alarm expires lapsed reservations and re-arms for the next one", async () => {
    const { product } = await newProduct(10);
    const stock = stockOf(product.variant_id);
    await stock.reserve("ord_soon", 4, 60);
    await stock.reserve("ord_later", 3, 600);
    // The Durable Object shares the test's isolate, and so its clock.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await runDurableObjectAlarm(stock)).toBe(true);
    expect(await stock.level()).toMatchObject({ reserved: 3, available: 7 });
    expect(await stock.commit("ord_soon")).toMatchObject({ ok: false, state: "expired" });
    const alarm = await runInDurableObject(stock, (_instance: ProductStock, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + 400_000);
  });

  it("every movement reaches the ledger, whose sums equal the level; the mirror follows the newest version only", async () => {
    const { product } = await newProduct(8);
    const stock = stockOf(product.variant_id);
    await stock.reserve("ord_1", 2, 900);
    await stock.reserve("ord_2", 1, 900);
    await stock.commit("ord_1");
    await stock.release("ord_2");
    await stock.adjust(3, "found a box", "usr_admin");
    const level = await stock.syncMirror();
    expect(await ledgerTotals(product.variant_id)).toEqual({ onHand: level.onHand, reserved: level.reserved });
    expect(level).toMatchObject({ onHand: 9, reserved: 0, mirroredVersion: level.version });

    const [row] = await testDb().select().from(productVariants).where(eq(productVariants.id, product.variant_id));
    expect(row).toMatchObject({ stockAvailable: 9, stockVersion: level.version });
    // A stale mirror write (older version) cannot overwrite it.
    await testDb()
      .update(productVariants)
      .set({ stockAvailable: 999 })
      .where(eq(productVariants.stockVersion, level.version - 1));
    const [after] = await testDb().select().from(productVariants).where(eq(productVariants.id, product.variant_id));
    expect(after?.stockAvailable).toBe(9);
  });
});
