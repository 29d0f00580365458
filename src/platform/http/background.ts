import type { Context } from "hono";
import type { AppBindings } from "./types";

/**
 * Runs work after the response is sent (ExecutionContext.waitUntil): used
 * where the answer must not depend on, or take longer because of, what the
 * work finds (whether an account exists, whether an email API is slow).
 * Failures are logged by name; the work's data never is.
 */
export function inBackground(c: Context<AppBindings>, name: string, work: () => Promise<void>): void {
  const logger = c.var.logger;
  c.executionCtx.waitUntil(
    work().catch((error: unknown) => {
      logger.error("background_task_failed", {
        task: name,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
    }),
  );
}
