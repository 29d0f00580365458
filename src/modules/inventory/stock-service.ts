/**
 * The Worker's side of inventory: typed RPC stubs of each product's
 * ProductStock, and the multi-product steps of checkout.
 */
import type { ProductStock, ReservationOutcome } from "./product-stock";

export interface StockLine {
  productId: string;
  quantity: number;
}

interface Shortage {
  product_id: string;
  requested: number;
  available: number;
}

export type ReserveAllResult = { ok: true } | { ok: false; shortages: Shortage[] };

export class StockService {
  constructor(private readonly namespace: DurableObjectNamespace<ProductStock>) {}

  of(productId: string) {
    return this.namespace.getByName(productId);
  }

  /**
   * Reserves every line at once: one call per product, all in parallel, so a shopper far from the objects
   * waits for one call, not one per line. If some are refused, what was reserved is released and, when
   * anything had been, the order tries once more one product at a time in product-id order: two orders
   * that each took one of two last units in the parallel round would otherwise both lose, while in one
   * global order the first to reach a product gets all of them or none.
   */
  async reserveAll(orderId: string, lines: StockLine[], ttlSeconds: number): Promise<ReserveAllResult> {
    const outcomes = await Promise.all(
      lines.map((line) => this.of(line.productId).reserve(orderId, line.quantity, ttlSeconds)),
    );
    if (outcomes.every((outcome) => outcome.ok)) return { ok: true };
    const reserved = lines.filter((_, index) => outcomes[index]?.ok).map((line) => line.productId);
    await this.releaseAll(orderId, reserved);
    if (reserved.length > 0) return this.#reserveInOrder(orderId, lines, ttlSeconds);
    return {
      ok: false,
      shortages: lines.map((line, index) => ({
        product_id: line.productId,
        requested: line.quantity,
        available: outcomes[index]?.available ?? 0,
      })),
    };
  }

  /**
   * One product at a time in product-id order. At the first refusal it stops, releases what it reserved, and
   * reports every line that is short (the rest are checked without reserving).
   */
  async #reserveInOrder(orderId: string, lines: StockLine[], ttlSeconds: number): Promise<ReserveAllResult> {
    const ordered = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    const reserved: string[] = [];
    const shortages: Shortage[] = [];
    for (const [index, line] of ordered.entries()) {
      const outcome = await this.of(line.productId).reserve(orderId, line.quantity, ttlSeconds);
      if (outcome.ok) {
        reserved.push(line.productId);
        continue;
      }
      shortages.push({ product_id: line.productId, requested: line.quantity, available: outcome.available });
      for (const rest of ordered.slice(index + 1)) {
        const level = await this.of(rest.productId).level();
        if (level.available < rest.quantity) {
          shortages.push({ product_id: rest.productId, requested: rest.quantity, available: level.available });
        }
      }
      await this.releaseAll(orderId, reserved);
      return { ok: false, shortages };
    }
    return { ok: true };
  }

  async releaseAll(orderId: string, productIds: string[]): Promise<ReservationOutcome[]> {
    return Promise.all(productIds.map((productId) => this.of(productId).release(orderId)));
  }

  async commitAll(orderId: string, productIds: string[]): Promise<ReservationOutcome[]> {
    return Promise.all(productIds.map((productId) => this.of(productId).commit(orderId)));
  }

  async restockAll(orderId: string, productIds: string[]): Promise<ReservationOutcome[]> {
    return Promise.all(productIds.map((productId) => this.of(productId).restock(orderId)));
  }
}
