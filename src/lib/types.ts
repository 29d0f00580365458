import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Database } from "../db/client";
import type { AppConfig } from "../env";
import type { Logger } from "./logger";

export interface AppVariables {
  requestId: string;
  config: AppConfig;
  logger: Logger;
  db: Database;
}

export interface AppBindings {
  Bindings: Env;
  Variables: AppVariables;
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>;
