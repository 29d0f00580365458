/**
 * Idempotency keys for unsafe requests: the first response to a key (its
 * status and body) is kept for 24 hours and replayed for the same request;
 * the same key with a different request is refused; a key whose first request
 * is still running answers 409.
 */
import { and, eq, lte } from "drizzle-orm";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Database } from "../db/client";
import { sha256Hex } from "../encoding";
import { idempotencyKeys } from "./idempotency-keys";
import { ApiError, problemBody } from "./problem";
import type { AppBindings } from "./types";

const TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const REPLAYED = { "Idempotent-Replayed": "true" };

/** JSON with object keys sorted at every level: the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function claim(db: Database, userId: string, key: string, requestHash: string): Promise<boolean> {
  const now = new Date();
  const claimed = await db
    .insert(idempotencyKeys)
    .values({
      userId,
      key,
      requestHash,
      state: "in_flight",
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + TTL_MS).toISOString(),
    })
    .onConflictDoNothing();
  return claimed.rowsAffected === 1;
}

/**
 * Runs `work` once per (user, key). Problems (4xx) that `work` throws are the
 * first response too and are kept; an unexpected failure frees the key so the
 * client can retry.
 */
export async function runIdempotently<T>(
  c: Context<AppBindings>,
  key: string,
  request: unknown,
  work: () => Promise<{ status: number; body: T }>,
): Promise<StoredResponse<T>> {
  const { db } = c.var;
  const userId = c.var.auth.user.id;
  const requestHash = await sha256Hex(canonicalJson(request));
  const where = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

  if (!(await claim(db, userId, key, requestHash))) {
    // An expired key is forgotten, then claimed afresh.
    await db.delete(idempotencyKeys).where(and(where, lte(idempotencyKeys.expiresAt, new Date().toISOString())));
    if (!(await claim(db, userId, key, requestHash))) {
      const [existing] = await db.select().from(idempotencyKeys).where(where).limit(1);
      if (!existing) throw new ApiError(409, "idempotency_key_in_flight", "This Idempotency-Key is being processed.");
      if (existing.requestHash !== requestHash) {
        throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request.");
      }
      if (existing.state === "in_flight" || existing.responseStatus === null) {
        throw new ApiError(
          409,
          "idempotency_key_in_flight",
          "A request with this Idempotency-Key is still being processed.",
          {
            headers: { "Retry-After": "1" },
          },
        );
      }
      const body: unknown = JSON.parse(existing.responseBody ?? "null");
      if (existing.responseStatus >= 400) {
        // The first answer was a problem: send that same problem again.
        throw new ApiError(existing.responseStatus as ContentfulStatusCode, "replayed", "", {
          verbatimBody: body,
          headers: REPLAYED,
        });
      }
      c.header("Idempotent-Replayed", "true");
      return { status: existing.responseStatus, body: body as T, replayed: true };
    }
  }

  const remember = (status: number, body: unknown) =>
    db
      .update(idempotencyKeys)
      .set({ state: "completed", responseStatus: status, responseBody: JSON.stringify(body) })
      .where(where);
  try {
    const result = await work();
    await remember(result.status, result.body);
    return { ...result, replayed: false };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      await remember(error.status, problemBody(c, error));
    } else {
      await db.delete(idempotencyKeys).where(where);
    }
    throw error;
  }
}
