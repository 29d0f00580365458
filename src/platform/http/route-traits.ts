/**
 * What a route middleware implies about the answers of the routes that use it, so the OpenAPI document can say it
 * without each route repeating it: a rate limit answers 429, an idempotency key may replay an earlier answer.
 */
export type RouteTrait = "rate_limited" | "idempotent";

const traitsOf = new WeakMap<object, RouteTrait>();

/** Marks a middleware with the trait its routes take on; returns it unchanged. */
export function withTrait<M extends object>(middleware: M, trait: RouteTrait): M {
  traitsOf.set(middleware, trait);
  return middleware;
}

/** Whether any of a route's middleware carries `trait`. */
export function hasTrait(middleware: unknown, trait: RouteTrait): boolean {
  const list: unknown[] = Array.isArray(middleware) ? middleware : [middleware];
  return list.some((item) => typeof item === "function" && traitsOf.get(item) === trait);
}
