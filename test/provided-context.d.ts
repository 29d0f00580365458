declare module "vitest" {
  interface ProvidedContext {
    /** The libSQL server started by the global setup, migrated, with a fresh database. */
    databaseUrl: string;
    /** A URL where a libSQL server was started and then stopped: nothing listens there. */
    unreachableDatabaseUrl: string;
    /**
     * A second libSQL server, holding a shop written by the schema before variants (migrations 0000–0008) and
     * then migrated to the latest schema, as a deployed shop's database is (test/support/legacy-shop.ts).
     */
    legacyDatabaseUrl: string;
    /** What that shop held before the migration, in the old schema's terms (one sku, price and stock per product). */
    legacyShop: {
      products: {
        id: string;
        sku: string;
        name: string;
        priceAmount: number;
        currency: string;
        /** Active and not deleted: a shopper could buy it. */
        forSale: boolean;
        /** The catalog's mirror of the stock object: on hand minus reserved. */
        stockAvailable: number;
      }[];
      orders: {
        id: string;
        userId: string;
        status: string;
        reservationKey: string | null;
        paymentIntentId: string | null;
        totalAmount: number;
        currency: string;
        items: { productId: string; quantity: number }[];
      }[];
      cartItems: { id: string; userId: string; productId: string; quantity: number }[];
      /**
       * The old ledger, oldest first per product: every call the old code made to each product's stock object
       * (`orderId` is the key it was called with), so a test can leave the objects as the old code left them.
       */
      movements: {
        productId: string;
        version: number;
        reason: string;
        onHandDelta: number;
        reservedDelta: number;
        orderId: string | null;
        actorId: string | null;
        note: string | null;
      }[];
    };
  }
}

export {};
