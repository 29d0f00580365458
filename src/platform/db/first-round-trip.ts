import type { BatchItem } from "drizzle-orm/batch";

/**
 * A statement a middleware needs before the handler's work, sent in the request's first database round trip
 * instead of one of its own (an idempotency claim). `settle` gets its result: `admitted` is false when the
 * request is refused by that same round trip (its session was revoked), so the rider only records what it did.
 */
export interface Rider {
  statement: BatchItem<"sqlite">;
  settle(result: unknown, admitted: boolean): Promise<void>;
}

/**
 * The riders of one request. Whoever makes the request's first round trip (the session check of an
 * authenticated route) takes them and batches them with its own statements; a request that has no such round
 * trip has no `FirstRoundTrip`, and a middleware then runs its statement itself.
 */
export class FirstRoundTrip {
  readonly #riders: Rider[] = [];
  #departed = false;

  add(rider: Rider): void {
    if (this.#departed) throw new Error("the first round trip has already been made");
    this.#riders.push(rider);
  }

  /** The riders, once: a second round trip carries none. */
  depart(): Rider[] {
    if (this.#departed) return [];
    this.#departed = true;
    return this.#riders.splice(0);
  }
}
