/**
 * The front Worker (`wrangler.front.toml`): runs where the shopper is and answers reads itself, with the same app
 * as the placed Worker: the catalog from the edge cache (no database round trip when warm) and signed-in reads
 * (one round trip either way, so nothing is gained by moving them). Everything that writes (two or three round
 * trips) goes over a service binding to the Worker that Smart Placement runs next to the database, where each of
 * its round trips is short.
 */
import worker from "./index";

export interface FrontEnv extends Env {
  /** The placed Worker (`wrangler.toml`, `[env.production.placement]`). */
  PLACED: Fetcher;
}

const ANSWERED_AT_EDGE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Reads (and CORS preflights) are answered at the edge; every other method is a write, answered near the database. */
export function answeredAtEdge(request: Request): boolean {
  return ANSWERED_AT_EDGE.has(request.method.toUpperCase());
}

interface App {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
}

export function createFront(app: App = worker) {
  return {
    fetch(request: Request, env: FrontEnv, ctx: ExecutionContext) {
      if (answeredAtEdge(request)) return app.fetch(request, env, ctx);
      return env.PLACED.fetch(request);
    },
  } satisfies ExportedHandler<FrontEnv>;
}

export default createFront();
