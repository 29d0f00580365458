import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProductStock } from "../../../src/modules/inventory/product-stock";
import { productVariants } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { databaseRefuses } from "../support/faults";
import { ledgerTotals, stockOf } from "../support/shopping";

afterEach(() => {
  vi.restoreAllMocks();
});

async function mirrorOf(variantId: string) {
  const [row] = await testDb()
    .select({ available: productVariants.stockAvailable, version: productVariants.stockVersion })
    .from(productVariants)
    .where(eq(productVariants.id, variantId));
  return row;
}

function alarmOf(stock: DurableObjectStub<ProductStock>) {
  return runInDurableObject(stock, (_instance: ProductStock, state) => state.storage.getAlarm());
}

describe("the stock object's mirror and ledger when the database refuses them", () => {
  it("a failed flush keeps every movement, arms a retry, and the retry ships them all", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const product = await createProduct(await signedInAdmin(), { initial_stock: 5 });
    const stock = stockOf(product.variant_id);
    await stock.syncMirror();
    const refusal = await databaseRefuses({
      table: "inventory_movements",
      on: "insert",
      column: "variant_id",
      value: product.variant_id,
    });
    try {
      // The stock answers at once: the database is not on the way of a reservation.
      expect(await stock.reserve("ord_mirror_1", 2, 900)).toMatchObject({ ok: true });
      expect(await stock.reserve("ord_mirror_2", 1, 900)).toMatchObject({ ok: true });
      // The background flush fails and arms a retry seconds away, well before the reservations lapse.
      await vi.waitFor(
        async () => {
          const alarm = await alarmOf(stock);
          expect(alarm).not.toBeNull();
          expect(alarm ?? Number.POSITIVE_INFINITY).toBeLessThan(Date.now() + 60_000);
        },
        { timeout: 10_000, interval: 50 },
      );
      const failures = warnings.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
      expect(failures).toContainEqual(
        expect.objectContaining({ event: "stock_mirror_failed", variant_id: product.variant_id }),
      );
      // The batch is all or nothing: neither the mirror nor the ledger moved.
      expect(await mirrorOf(product.variant_id)).toMatchObject({ available: 5 });
      expect(await ledgerTotals(product.variant_id)).toEqual({ onHand: 5, reserved: 0 });
    } finally {
      await refusal.lift();
    }

    expect(await runDurableObjectAlarm(stock)).toBe(true);
    const level = await stock.level();
    expect(level).toMatchObject({ onHand: 5, reserved: 3, available: 2, mirroredVersion: level.version });
    expect(await mirrorOf(product.variant_id)).toEqual({ available: 2, version: level.version });
    expect(await ledgerTotals(product.variant_id)).toEqual({ onHand: 5, reserved: 3 });
    // What is left armed is the reservations' own expiry, not another retry.
    expect(await alarmOf(stock)).toBeGreaterThan(Date.now() + 800_000);
  });
});
