import type { ProductStock, ReservationOutcome } from "../../../src/modules/inventory/product-stock";

export type StockCall =
  | { op: "reserve"; variantId: string; orderId: string; quantity: number; ttlSeconds: number }
  | { op: "level" | "release" | "commit" | "restock"; variantId: string; orderId?: string };

/**
 * A stand-in for the PRODUCT_STOCK namespace: `getByName(id)` returns a stub
 * that answers from `available` (a reserve that fits is granted and takes it; a release gives it back)
 * and records every call, in order. With `firstRound` (keys `order:product`), those reserves are held until all
 * of them have arrived, then decided in that order: a race with a chosen outcome (and a caller that waits for
 * one answer before making the next call never gets one).
 */
export function fakeStockNamespace(available: Record<string, number>, options: { firstRound?: string[] } = {}) {
  const calls: StockCall[] = [];
  const reserved = new Map<string, number>();
  const held = new Map<string, () => void>();
  const undecided = new Set(options.firstRound ?? []);
  const turn = async (key: string) => {
    if (!undecided.delete(key)) return;
    await new Promise<void>((resolve) => {
      held.set(key, resolve);
      if (undecided.size > 0) return;
      // Each decided in turn: the next is released once the one before it has taken its units.
      void (async () => {
        for (const next of options.firstRound ?? []) {
          held.get(next)?.();
          await Promise.resolve();
        }
      })();
    });
  };
  const outcome = (state: ReservationOutcome["state"], ok: boolean, variantId: string): ReservationOutcome => ({
    ok,
    state,
    quantity: 0,
    available: available[variantId] ?? 0,
    expiresAt: null,
  });
  const stubFor = (variantId: string) => ({
    async reserve(orderId: string, quantity: number, ttlSeconds: number): Promise<ReservationOutcome> {
      calls.push({ op: "reserve", variantId, orderId, quantity, ttlSeconds });
      await turn(`${orderId}:${variantId}`);
      const left = available[variantId] ?? 0;
      if (quantity > left) return { ok: false, state: "refused", quantity, available: left, expiresAt: null };
      available[variantId] = left - quantity;
      reserved.set(`${orderId}:${variantId}`, quantity);
      return { ok: true, state: "reserved", quantity, available: left - quantity, expiresAt: Date.now() };
    },
    async level() {
      calls.push({ op: "level", variantId });
      return { variantId, available: available[variantId] ?? 0 };
    },
    async release(orderId: string) {
      calls.push({ op: "release", variantId, orderId });
      const key = `${orderId}:${variantId}`;
      available[variantId] = (available[variantId] ?? 0) + (reserved.get(key) ?? 0);
      reserved.delete(key);
      return outcome("released", true, variantId);
    },
    async commit(orderId: string) {
      calls.push({ op: "commit", variantId, orderId });
      return outcome("committed", true, variantId);
    },
    async restock(orderId: string) {
      calls.push({ op: "restock", variantId, orderId });
      return outcome("restocked", true, variantId);
    },
  });
  const namespace = { getByName: stubFor } as unknown as DurableObjectNamespace<ProductStock>;
  return { namespace, calls };
}
