/**
 * The Worker's side of inventory: typed RPC stubs of each variant's
 * ProductStock, and the multi-variant steps of checkout.
 */
import type { ProductStock, ReservationOutcome } from "./product-stock";

export interface StockLine {
  variantId: string;
  quantity: number;
}

interface Shortage {
  variant_id: string;
  requested: number;
  available: number;
}

export type ReserveAllResult = { ok: true } | { ok: false; shortages: Shortage[] };

export class StockService {
  constructor(private readonly namespace: DurableObjectNamespace<ProductStock>) {}

  of(variantId: string) {
    return this.namespace.getByName(variantId);
  }

  /**
   * Reserves every line at once: one call per variant, all in parallel, so a shopper far from the objects
   * waits for one call, not one per line. If any is refused, the ones granted are released and every refused
   * line is reported. (Two orders crossing on the last units of two products can then both be refused, where
   * one after the other in a global order one of them would have won: the price of not waiting for each line in
   * turn. A refused shopper who tries again gets the units the other gave back.)
   */
  async reserveAll(orderId: string, lines: StockLine[], ttlSeconds: number): Promise<ReserveAllResult> {
    const outcomes = await Promise.all(
      lines.map((line) => this.of(line.variantId).reserve(orderId, line.quantity, ttlSeconds)),
    );
    if (outcomes.every((outcome) => outcome.ok)) return { ok: true };
    await this.releaseAll(
      orderId,
      lines.filter((_, index) => outcomes[index]?.ok).map((line) => line.variantId),
    );
    const shortages: Shortage[] = [];
    for (const [index, line] of lines.entries()) {
      const outcome = outcomes[index];
      if (outcome && !outcome.ok) {
        shortages.push({ variant_id: line.variantId, requested: line.quantity, available: outcome.available });
      }
    }
    return { ok: false, shortages };
  }

  async releaseAll(orderId: string, variantIds: string[]): Promise<ReservationOutcome[]> {
    return Promise.all(variantIds.map((variantId) => this.of(variantId).release(orderId)));
  }

  async commitAll(orderId: string, variantIds: string[]): Promise<ReservationOutcome[]> {
    return Promise.all(variantIds.map((variantId) => this.of(variantId).commit(orderId)));
  }

  async restockAll(orderId: string, variantIds: string[]): Promise<ReservationOutcome[]> {
    return Promise.all(variantIds.map((variantId) => this.of(variantId).restock(orderId)));
  }
}
