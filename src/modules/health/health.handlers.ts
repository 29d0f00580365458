import { sql } from "drizzle-orm";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import type { HealthRoute } from "./health.routes";

const DATABASE_PROBE_TIMEOUT_MS = 3_000;

export const health: AppRouteHandler<HealthRoute> = async (c) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      c.var.db.run(sql`select 1`),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("database probe timed out")), DATABASE_PROBE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    c.var.logger.warn("health_database_unreachable", { error });
    throw new ApiError(503, "database_unavailable", "The database is unreachable.", {
      headers: { "Retry-After": "5" },
    });
  } finally {
    clearTimeout(timer);
  }
  return c.json({ status: "ok" as const }, 200);
};
