/**
 * Idempotency keys for unsafe requests, as route middleware: the first response to a key (its status and
 * body) is kept for 24 hours and replayed for the same request; the same key with a different request is
 * refused (422); a key whose first request is still running answers 409. A first answer that was a server
 * failure (5xx), or to a request that never passed validation (malformed or invalid body), frees the key, so
 * the client can simply retry. A first request that never finished (its Worker died, or lost the database
 * before it could free the key) holds the key for `IN_FLIGHT_LEASE_MS` at most.
 */
import { and, eq, lte, or } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Database } from "../db/client";
import { sha256Hex } from "../encoding";
import { inBackground } from "./background";
import { idempotencyKeys } from "./idempotency-keys";
import { z } from "./openapi";
import { ApiError, REPLAYED_PROBLEM } from "./problem";
import { withTrait } from "./route-traits";
import type { AppBindings } from "./types";

const TTL_MS = 24 * 60 * 60 * 1000;
/** Far beyond any request's run time: a key still in flight after this was abandoned, and can be claimed again. */
export const IN_FLIGHT_LEASE_MS = 2 * 60 * 1000;
const REPLAYED = "Idempotent-Replayed";

/** The header, declared once: routes validate and document it with this schema, the middleware reads it. */
export const IdempotencyHeaderSchema = z.object({
  "idempotency-key": z.string().min(1).max(255).openapi({
    description: "Unique per attempt; a retry with the same key and body returns the first answer for 24 hours",
  }),
});

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

function claimStatement(db: Database, scope: string, key: string, requestHash: string, now: Date) {
  return db
    .insert(idempotencyKeys)
    .values({
      userId: scope,
      key,
      requestHash,
      state: "in_flight",
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + TTL_MS).toISOString(),
    })
    .onConflictDoNothing();
}

function wasWritten(result: unknown): boolean {
  return (result as { rowsAffected?: number } | undefined)?.rowsAffected === 1;
}

/** A stored success sent again: thrown from wherever the claim is settled, answered by `onError`. */
export class IdempotentReplay extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super("idempotent replay");
    this.name = "IdempotentReplay";
  }

  respond(c: Context): Response {
    return c.json(this.body, this.status, this.headers);
  }
}

export interface IdempotentOptions {
  /** Whose keys these are (the signed-in user): one client's key never meets another's. */
  scope: (c: Context<AppBindings>) => string;
  /** Headers a replayed success carries again (e.g. `Location`), derived from the stored body. */
  replayHeaders?: (body: unknown) => Record<string, string>;
}

/**
 * Runs the route once per (scope, key). Put it in the route's `middleware`; the route still declares
 * `IdempotencyHeaderSchema`, so a missing or malformed key is the validator's 422.
 */
export function idempotent(options: IdempotentOptions) {
  const middleware = createMiddleware<AppBindings>(async (c, next) => {
    const parsed = IdempotencyHeaderSchema.safeParse({ "idempotency-key": c.req.header("idempotency-key") });
    if (!parsed.success) return next();
    const key = parsed.data["idempotency-key"];
    const { db } = c.var;
    const scope = options.scope(c);
    const body: unknown = await c.req.json().catch(() => null);
    const requestHash = await sha256Hex(canonicalJson({ method: c.req.method, path: c.req.path, body }));
    const where = and(eq(idempotencyKeys.userId, scope), eq(idempotencyKeys.key, key));
    const now = new Date();
    // This request's own claim: a request that outlived its lease must not overwrite the claim that replaced it.
    const ours = and(where, eq(idempotencyKeys.createdAt, now.toISOString()));
    const claim = () => claimStatement(db, scope, key, requestHash, now);
    let claimed = false;

    /** After a refused claim: an expired or abandoned key is claimed afresh; else the first answer decides. */
    const settleRefusedClaim = async () => {
      const abandonedBefore = new Date(now.getTime() - IN_FLIGHT_LEASE_MS).toISOString();
      await db
        .delete(idempotencyKeys)
        .where(
          and(
            where,
            or(
              lte(idempotencyKeys.expiresAt, now.toISOString()),
              and(eq(idempotencyKeys.state, "in_flight"), lte(idempotencyKeys.createdAt, abandonedBefore)),
            ),
          ),
        );
      if (wasWritten(await claim())) {
        claimed = true;
        return;
      }
      const [existing] = await db.select().from(idempotencyKeys).where(where).limit(1);
      if (existing && existing.requestHash !== requestHash) {
        throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request.");
      }
      if (!existing || existing.state === "in_flight" || existing.responseStatus === null) {
        throw new ApiError(
          409,
          "idempotency_key_in_flight",
          "A request with this Idempotency-Key is still being processed.",
          {
            headers: { "Retry-After": "1" },
          },
        );
      }
      const stored: unknown = JSON.parse(existing.responseBody ?? "null");
      const status = existing.responseStatus as ContentfulStatusCode;
      if (status >= 400) {
        // The first answer was a problem: send that same problem again.
        throw new ApiError(status, REPLAYED_PROBLEM, "", { verbatimBody: stored, headers: { [REPLAYED]: "true" } });
      }
      throw new IdempotentReplay(status, stored, { ...options.replayHeaders?.(stored), [REPLAYED]: "true" });
    };

    const settle = async (result: unknown, admitted: boolean) => {
      claimed = wasWritten(result);
      // A refused request (its session was revoked in the same round trip) only frees what it claimed.
      if (!claimed && admitted) await settleRefusedClaim();
    };
    const riders = c.var.firstRoundTrip;
    if (riders) riders.add({ statement: claim(), settle });
    else await settle(await claim(), true);

    await next();
    if (!claimed) return;
    const failed = c.error;
    // The request never reached the handler: its body was malformed (Hono's HTTPException) or invalid.
    const unvalidated =
      failed instanceof HTTPException || (failed instanceof ApiError && failed.code === "validation_error");
    // Unauthenticated: refused by the session check that carried the claim, before the handler did anything.
    const status = c.res.status;
    const responseBody = status >= 500 || unvalidated || status === 401 ? null : await c.res.clone().text();
    // Recorded after the answer has left: a retry in that gap meets an in-flight key (409, Retry-After: 1).
    inBackground(c, "idempotency_record", async () => {
      if (responseBody === null) {
        await db.delete(idempotencyKeys).where(ours);
        return;
      }
      await db.update(idempotencyKeys).set({ state: "completed", responseStatus: status, responseBody }).where(ours);
    });
  });
  return withTrait(middleware, "idempotent");
}
