import { DurableObject } from "cloudflare:workers";

export interface StockLevel {
  onHand: number;
  reserved: number;
  available: number;
}

/**
 * One instance per product will serialize every stock change of that product.
 * Declared now so the binding and its SQLite-backed migration exist from the
 * first deploy; until inventory lands it holds no stock.
 */
export class ProductStock extends DurableObject<Env> {
  level(): StockLevel {
    return { onHand: 0, reserved: 0, available: 0 };
  }
}
