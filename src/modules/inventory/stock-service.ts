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
   * Reserves every line at once (one call per product, all in parallel: the objects are independent, and a
   * shopper far from them waits for one call, not one per line). If any is refused, releases the ones that
   * were reserved and reports every line that was short.
   */
  async reserveAll(orderId: string, lines: StockLine[], ttlSeconds: number): Promise<ReserveAllResult> {
    const outcomes = await Promise.all(
      lines.map((line) => this.of(line.productId).reserve(orderId, line.quantity, ttlSeconds)),
    );
    const shortages: Shortage[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const line = lines[index] as StockLine;
      if (!outcome.ok)
        shortages.push({ product_id: line.productId, requested: line.quantity, available: outcome.available });
    }
    if (shortages.length === 0) return { ok: true };
    await this.releaseAll(
      orderId,
      lines.filter((_, index) => outcomes[index]?.ok).map((line) => line.productId),
    );
    return { ok: false, shortages };
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
