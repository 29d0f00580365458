import type { Context } from "hono";
import type { Logger } from "../logger";
import type { AppBindings } from "./types";

/**
 * Starts work that must not hold up, or fail, what started it (an email after an order moved): the work runs
 * on (ExecutionContext.waitUntil), and a failure is logged by the task's name; the work's data never is.
 */
export type Background = (name: string, work: () => Promise<void>) => void;

/**
 * The background of any entry point: a request's execution context, or the queue consumer's, which has no
 * request (and so no Hono Context) to read it from.
 */
export function backgroundOf(waitUntil: (promise: Promise<unknown>) => void, logger: Logger): Background {
  return (name, work) => {
    waitUntil(
      work().catch((error: unknown) => {
        logger.error("background_task_failed", {
          task: name,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        });
      }),
    );
  };
}

/**
 * Runs work after the response is sent: used where the answer must not depend on, or take longer because of,
 * what the work finds (whether an account exists, whether an email API is slow).
 */
export function inBackground(c: Context<AppBindings>, name: string, work: () => Promise<void>): void {
  backgroundOf((promise) => c.executionCtx.waitUntil(promise), c.var.logger)(name, work);
}
