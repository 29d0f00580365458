import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { inBackground } from "../background";
import type { AppBindings } from "../types";

/** The request as a route's validators see it: query values repeated in the URL become arrays. */
export interface EdgeCacheRequest {
  query: Record<string, string | string[]>;
  params: Record<string, string>;
}

export interface EdgeCacheOptions {
  /**
   * The canonical path and query of the answer (same answer, same key), or undefined when the request is not one
   * the route accepts: it then runs uncached, so only requests that pass the route's validation can fill the cache.
   */
  keyOf: (request: EdgeCacheRequest) => string | undefined;
  /** How long a stored answer is served: the bound on how stale an answer can be. */
  freshSeconds: number;
  /** The Cache-Control sent with every 200 this middleware handles, served from the cache or not. */
  clientCacheControl: string;
  /** The Cache API cache to use (Cache API: per data center). */
  openCache: () => Promise<Cache>;
}

/**
 * When the answer was stored, in milliseconds since the epoch. Freshness is decided here, on the app's clock,
 * rather than by the cache's own expiry alone, so the bound holds whatever the cache does and tests can move the
 * clock. Never sent: a hit is rebuilt from the stored body and content type only.
 */
const STORED_AT_HEADER = "X-Edge-Stored-At";

/** Credentials in any form make an answer personal: such a request neither reads nor fills the cache. */
const CREDENTIAL_HEADERS = ["Authorization", "Cookie"];

function isShareable(c: Context<AppBindings>): boolean {
  return (
    (c.req.method === "GET" || c.req.method === "HEAD") &&
    CREDENTIAL_HEADERS.every((name) => c.req.header(name) === undefined)
  );
}

function queryOf(c: Context<AppBindings>): Record<string, string | string[]> {
  // As hono's validator builds it, so the key is computed from exactly what the route will validate.
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([name, values]) => [name, values.length === 1 ? (values[0] ?? "") : values]),
  );
}

function isStorable(response: Response): boolean {
  const cacheControl = response.headers.get("Cache-Control") ?? "";
  return response.status === 200 && !response.headers.has("Set-Cookie") && !/no-store|private/i.test(cacheControl);
}

function isFresh(stored: Response, now: number, freshSeconds: number): boolean {
  const storedAt = Number(stored.headers.get(STORED_AT_HEADER));
  const age = now - storedAt;
  // A time from the future (another clock) is not trusted: the answer is produced again.
  return Number.isFinite(storedAt) && age >= 0 && age < freshSeconds * 1000;
}

async function lookUp(
  c: Context<AppBindings>,
  openCache: () => Promise<Cache>,
  key: string,
): Promise<{ cache: Cache; stored: Response | undefined } | undefined> {
  try {
    const cache = await openCache();
    return { cache, stored: await cache.match(key) };
  } catch (error) {
    // The cache is an optimisation: when it fails, the database answers.
    c.var.logger.warn("edge_cache_unavailable", { error: error instanceof Error ? error.name : String(error) });
    return undefined;
  }
}

/**
 * Serves a public GET from the Cache API, keyed by the canonical form of the request (`keyOf`), so a warm read
 * runs no handler and no database query. Only the body and its content type are stored: everything else a
 * response carries (X-Request-ID, CORS, security headers, Vary) is made for this request by the app's middleware,
 * on hits as on misses. Requests with credentials, other methods, and answers other than a plain 200 (errors,
 * no-store, Set-Cookie) never touch the cache. Put it after `conditionalGet()` in the route's middleware: a hit then still
 * answers If-None-Match with 304.
 */
export function edgeCache(options: EdgeCacheOptions) {
  return createMiddleware<AppBindings>(async (c, next) => {
    const path = isShareable(c) ? options.keyOf({ query: queryOf(c), params: c.req.param() }) : undefined;
    if (path === undefined) return next();
    const key = new URL(path, new URL(c.req.url).origin).toString();
    const found = await lookUp(c, options.openCache, key);
    if (!found) return next();
    const { cache, stored } = found;
    if (stored && isFresh(stored, c.var.clock.now().getTime(), options.freshSeconds)) {
      c.header("Cache-Control", options.clientCacheControl);
      const contentType = stored.headers.get("Content-Type");
      return c.body(await stored.arrayBuffer(), 200, contentType ? { "Content-Type": contentType } : {});
    }
    await stored?.body?.cancel();

    await next();
    if (!isStorable(c.res)) return;
    c.res.headers.set("Cache-Control", options.clientCacheControl);
    const body = await c.res.clone().arrayBuffer();
    const entry = new Response(body, {
      headers: {
        "Content-Type": c.res.headers.get("Content-Type") ?? "application/octet-stream",
        [STORED_AT_HEADER]: String(c.var.clock.now().getTime()),
        // The data center's cache drops the entry soon after it stops being served.
        "Cache-Control": `public, max-age=${options.freshSeconds}`,
      },
    });
    inBackground(c, "edge_cache_put", () => cache.put(key, entry));
  });
}

/** Forgets stored answers in this data center (other data centers keep theirs until `freshSeconds` pass). */
export async function forgetEdgeCached(openCache: () => Promise<Cache>, origin: string, paths: string[]) {
  const cache = await openCache();
  await Promise.all(paths.map((path) => cache.delete(new URL(path, origin).toString())));
}
