import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AuditLog } from "../audit/audit-log";
import type { Clock } from "../clock";
import type { AppConfig } from "../config";
import type { Database } from "../db/client";
import type { FirstRoundTrip } from "../db/first-round-trip";
import type { Logger } from "../logger";
import type { Mailer } from "../mail/mailer";

/**
 * What every request carries. A module adds the services it owns by declaration merging
 * (`declare module "../../platform/http/types" { interface AppVariables { … } }` in its `context.ts`),
 * so this file names no module.
 */
export interface AppVariables {
  requestId: string;
  config: AppConfig;
  logger: Logger;
  /** CF-Connecting-IP, when Cloudflare supplied one. */
  clientIp: string | null;
  /** The client's network (/24 or /48), the only form of the address that is stored. */
  clientNetwork: string | null;
  /**
   * The key every per-client limit uses (rate limits, sign-in backoff): the IPv4 address, the /64 of an IPv6
   * address (`2001:db8:0:1::/64`), or `unknown` without an address. See `clientLimitKey`.
   */
  clientKey: string;
  db: Database;
  /** Set where the request's first round trip is made by one party (an authenticated route's session check). */
  firstRoundTrip?: FirstRoundTrip;
  clock: Clock;
  audit: AuditLog;
  mailer: Mailer;
}

export interface AppBindings {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
