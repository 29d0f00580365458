import type { ProductStock, ReservationOutcome } from "../../../src/modules/inventory/product-stock";

export type StockCall =
  | { op: "reserve"; productId: string; orderId: string; quantity: number; ttlSeconds: number }
  | { op: "level" | "release" | "commit" | "restock"; productId: string; orderId?: string };

/**
 * A stand-in for the PRODUCT_STOCK namespace: `getByName(id)` returns a stub
 * that answers from `available` (a reserve that fits is granted and takes it)
 * and records every call, in order.
 */
export function fakeStockNamespace(available: Record<string, number>) {
  const calls: StockCall[] = [];
  const outcome = (state: ReservationOutcome["state"], ok: boolean, productId: string): ReservationOutcome => ({
    ok,
    state,
    quantity: 0,
    available: available[productId] ?? 0,
    expiresAt: null,
  });
  const stubFor = (productId: string) => ({
    async reserve(orderId: string, quantity: number, ttlSeconds: number): Promise<ReservationOutcome> {
      calls.push({ op: "reserve", productId, orderId, quantity, ttlSeconds });
      const left = available[productId] ?? 0;
      if (quantity > left) return { ok: false, state: "refused", quantity, available: left, expiresAt: null };
      available[productId] = left - quantity;
      return { ok: true, state: "reserved", quantity, available: left - quantity, expiresAt: Date.now() };
    },
    async level() {
      calls.push({ op: "level", productId });
      return { productId, available: available[productId] ?? 0 };
    },
    async release(orderId: string) {
      calls.push({ op: "release", productId, orderId });
      return outcome("released", true, productId);
    },
    async commit(orderId: string) {
      calls.push({ op: "commit", productId, orderId });
      return outcome("committed", true, productId);
    },
    async restock(orderId: string) {
      calls.push({ op: "restock", productId, orderId });
      return outcome("restocked", true, productId);
    },
  });
  const namespace = { getByName: stubFor } as unknown as DurableObjectNamespace<ProductStock>;
  return { namespace, calls };
}
