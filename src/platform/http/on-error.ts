/**
 * The one `onError` and `notFound` of the app: every failure leaves as RFC
 * 9457 problem+json, and nothing internal (stack, SQL, message text of an
 * unexpected error) ever reaches the client.
 */
import type { Context, ErrorHandler, Hono, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { TrieRouter } from "hono/router/trie-router";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BUSY_RETRY_AFTER_SECONDS, DatabaseBusyError } from "../db/busy-retry";
import { inCauseChain } from "../db/errors";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "../db/unavailable";
import { createLogger } from "../logger";
import { IdempotentReplay } from "./idempotency";
import { ApiError, type ProblemCode, problemResponse } from "./problem";
import type { AppBindings } from "./types";

const HTTP_EXCEPTION_CODES: Partial<Record<number, ProblemCode>> = {
  400: "malformed_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

export const onError: ErrorHandler<AppBindings> = (error, c) => {
  if (error instanceof ApiError) return problemResponse(c, error);
  if (error instanceof IdempotentReplay) return error.respond(c);
  if (isDatabaseBusy(error)) {
    c.var.logger?.warn("database_busy", { method: c.req.method, path: new URL(c.req.url).pathname });
    return problemResponse(
      c,
      new ApiError(
        503,
        "database_busy",
        "The database is busy; nothing was changed by the refused step. Try again shortly.",
        {
          headers: { "Retry-After": String(BUSY_RETRY_AFTER_SECONDS) },
        },
      ),
    );
  }
  if (isDatabaseUnavailable(error)) {
    // The transport's own message names the host; it is logged for the operator, never sent.
    const logger = c.var.logger ?? createLogger({ request_id: c.var.requestId });
    logger.error("database_unavailable", {
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: describeCause(error),
    });
    return problemResponse(
      c,
      new ApiError(
        503,
        "database_unavailable",
        "The database could not be reached. A write this request started may or may not have been applied: " +
          "repeat it with the same Idempotency-Key, or read the resource before repeating it.",
        { headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) } },
      ),
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono raises these for protocol-level mistakes (malformed JSON, wrong media type); their messages are fixed texts.
    const status = error.status as ContentfulStatusCode;
    return problemResponse(c, new ApiError(status, HTTP_EXCEPTION_CODES[status] ?? "bad_request", error.message));
  }
  const logger = c.var.logger ?? createLogger({ request_id: c.var.requestId });
  logger.error("unhandled_error", {
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    error: { name: error.name, message: error.message, stack: error.stack },
  });
  return problemResponse(c, new ApiError(500, "internal_error", "An unexpected error occurred."));
};

/** Whether `error`, or one it wraps (drizzle and the libSQL client wrap the transport's), is the busy database. */
function isDatabaseBusy(error: unknown): boolean {
  return inCauseChain(error, (current) => current instanceof DatabaseBusyError);
}

/** The innermost error's name and message: what the transport said went wrong. */
function describeCause(error: Error): { name: string; message: string } {
  let innermost = error;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  return { name: innermost.name, message: innermost.message };
}

/** Answers 405 with `Allow` when the path exists under other methods, else 404. */
export function notFoundHandler(app: Hono<AppBindings>): NotFoundHandler<AppBindings> {
  let router: TrieRouter<string> | undefined;
  const allowedMethods = (path: string): string[] => {
    if (!router) {
      router = new TrieRouter<string>();
      for (const route of app.routes) {
        if (route.method !== "ALL") router.add("ALL", route.path, route.method);
      }
    }
    const normalized = path.length > 1 ? path.replace(/\/+$/, "") : path;
    const methods = new Set(router.match("GET", normalized)[0].map(([method]) => method));
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };

  return (c: Context<AppBindings>) => {
    const path = new URL(c.req.url).pathname;
    const allow = allowedMethods(path);
    if (allow.length > 0 && c.req.method !== "OPTIONS") {
      return problemResponse(
        c,
        new ApiError(405, "method_not_allowed", `${c.req.method} is not supported on ${path}.`, {
          headers: { Allow: allow.join(", ") },
        }),
      );
    }
    return problemResponse(c, new ApiError(404, "not_found", `No route matches ${c.req.method} ${path}.`));
  };
}
