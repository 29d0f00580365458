import type { Context } from "hono";
import type { Clock } from "../../platform/clock";
import type { AppConfig } from "../../platform/config";
import type { Database } from "../../platform/db/client";
import type { AppBindings } from "../../platform/http/types";
import type { Logger } from "../../platform/logger";
import type { StockService } from "../inventory";
import type { PaymentProvider } from "../payments";

/** What the order lifecycle works with: passed in explicitly, never read from a request. */
export interface OrderServices {
  db: Database;
  stock: StockService;
  payments: PaymentProvider;
  clock: Clock;
  logger: Logger;
  config: Pick<
    AppConfig,
    "storeCurrency" | "reservationTtlSeconds" | "requireVerifiedEmailForCheckout" | "pricesIncludeTax"
  >;
}

/** The order services of one request, for handlers to pass on. */
export function orderServicesOf(c: Context<AppBindings>): OrderServices {
  const { db, stock, payments, clock, logger, config } = c.var;
  return { db, stock, payments, clock, logger, config };
}
