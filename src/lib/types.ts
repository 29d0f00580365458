import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AccessClaims } from "../auth/tokens";
import type { Database } from "../db/client";
import type { SessionRow, UserRow } from "../db/schema";
import type { AppConfig } from "../env";
import type { StockService } from "../inventory/stock-service";
import type { PaymentEventIntake } from "../payments/events";
import type { PaymentProvider } from "../payments/provider";
import type { AuditLog } from "../services/audit";
import type { Mailer } from "../services/mailer";
import type { Logger } from "./logger";

export interface AuthContext {
  user: UserRow;
  session: SessionRow;
  claims: AccessClaims;
}

export interface AppVariables {
  requestId: string;
  config: AppConfig;
  logger: Logger;
  /** CF-Connecting-IP, when Cloudflare supplied one. */
  clientIp: string | null;
  /** The client's network (/24 or /48), the only form of the address that is stored. */
  clientNetwork: string | null;
  db: Database;
  audit: AuditLog;
  mailer: Mailer;
  stock: StockService;
  payments: PaymentProvider;
  /** Where verified payment events are recorded and queued. */
  paymentEvents: PaymentEventIntake;
  /** Set by `requireAuth` on authenticated routes. */
  auth: AuthContext;
}

export interface AppBindings {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
