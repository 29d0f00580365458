/**
 * Who may use a cart, and whose it is: a signed-in user (bearer access token, checked by the accounts module's
 * session gate) or a guest holding a cart token. Either way the check rides in the same round trip as the
 * handler's first read, so a guest pays no more round trips than a signed-in shopper.
 */
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { createMiddleware } from "hono/factory";
import type { Database } from "../../platform/db/client";
import { FirstRoundTrip } from "../../platform/db/first-round-trip";
import type { AppBindings } from "../../platform/http/types";
import { type AuthContext, requireAuth, type SessionGate } from "../accounts";
import { ensureCart } from "./cart";
import { CART_TOKEN_HEADER, cartTokenHash, guestCartExpiry, invalidCartToken } from "./cart-token";
import { type CartOwner, ownsCart } from "./owner";
import { carts } from "./tables";

type Batch = readonly [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];
type Results<T extends readonly BatchItem<"sqlite">[]> = T extends Batch ? BatchResponse<T> : [];

export type Shopper =
  | { readonly kind: "user"; readonly user: AuthContext["user"] }
  | { readonly kind: "guest"; readonly cart: { readonly id: string; readonly expiresAt: string } };

export interface CartAccess {
  /** Whose cart: for building the queries that ride with the check, never for deciding anything. */
  readonly owner: CartOwner;
  /**
   * Checks the credential with `queries` in one round trip and returns their results only once it holds; otherwise
   * throws 401 (`invalid_token` for an account, `invalid_cart_token` for a guest). Called again, sends only `queries`.
   */
  check<T extends readonly BatchItem<"sqlite">[]>(...queries: T): Promise<[Shopper, ...Results<T>]>;
  /**
   * The statement a write to the cart starts its batch with: a user's cart is created on first use (nothing when
   * it exists); a guest cart's expiry slides to `guestCartTtlDays` from `at` (nothing once it has expired, so a
   * write never revives a cart).
   */
  prepareWrite(at: Date): BatchItem<"sqlite">;
}

export class UserAccess implements CartAccess {
  readonly owner: CartOwner;

  constructor(
    private readonly db: Database,
    private readonly session: SessionGate,
  ) {
    this.owner = { kind: "user", userId: session.userId };
  }

  async check<T extends readonly BatchItem<"sqlite">[]>(...queries: T): Promise<[Shopper, ...Results<T>]> {
    const [{ user }, ...results] = await this.session.check(...queries);
    return [{ kind: "user", user }, ...(results as Results<T>)];
  }

  prepareWrite(at: Date) {
    return ensureCart(this.db, this.session.userId, at.toISOString());
  }
}

export class GuestAccess implements CartAccess {
  readonly riders = new FirstRoundTrip();
  #shopper: Shopper | undefined;

  constructor(
    private readonly db: Database,
    readonly owner: CartOwner & { kind: "guest" },
    private readonly ttlDays: number,
  ) {}

  async check<T extends readonly BatchItem<"sqlite">[]>(...queries: T): Promise<[Shopper, ...Results<T>]> {
    if (this.#shopper) {
      const results = queries.length > 0 ? await this.db.batch(queries as unknown as Batch) : [];
      return [this.#shopper, ...(results as Results<T>)];
    }
    const riders = this.riders.depart();
    // The cart itself is read with the queries: an empty answer from them could not tell an empty cart from none.
    const cart = this.db
      .select({ id: carts.id, expiresAt: carts.expiresAt })
      .from(carts)
      .where(ownsCart(this.owner))
      .limit(1);
    const others = [...riders.map((rider) => rider.statement), ...queries];
    const [found, ...rest]: unknown[] = others.length === 0 ? [await cart] : await this.db.batch([cart, ...others]);
    const [row] = found as Awaited<typeof cart>;
    const admitted = row?.expiresAt != null;
    for (const [index, rider] of riders.entries()) await rider.settle(rest[index], admitted);
    if (!row?.expiresAt) throw invalidCartToken();
    this.#shopper = { kind: "guest", cart: { id: row.id, expiresAt: row.expiresAt } };
    return [this.#shopper, ...(rest.slice(riders.length) as Results<T>)];
  }

  prepareWrite(at: Date) {
    return this.db
      .update(carts)
      .set({ expiresAt: guestCartExpiry(at, this.ttlDays), updatedAt: at.toISOString() })
      .where(ownsCart(this.owner));
  }
}

declare module "../../platform/http/types" {
  interface AppVariables {
    /** Set by `cartAccess()`: the cart of the request's account or guest, and the check of its credential. */
    cartAccess: CartAccess;
  }
}

/**
 * Admits an account (`Authorization: Bearer`, exactly as `requireAuth({ checkSession: "with_first_read" })`, which
 * also sets `c.var.session`) or a guest (`Cart-Token`), and sets `c.var.cartAccess`. A request with both is the
 * account's: a client that signed in still sending its old cart token keeps working, on the account's cart. With
 * neither, 401 as for any signed-in route. Mountable on a single route (checkout) as on a prefix.
 */
export function cartAccess() {
  const signedIn = requireAuth({ checkSession: "with_first_read" });
  return createMiddleware<AppBindings>(async (c, next) => {
    const cartToken = c.req.header(CART_TOKEN_HEADER);
    if (c.req.header("Authorization") !== undefined || cartToken === undefined) {
      return signedIn(c, async () => {
        c.set("cartAccess", new UserAccess(c.var.db, c.var.session));
        await next();
      });
    }
    const tokenHash = await cartTokenHash(cartToken.trim());
    if (!tokenHash) throw invalidCartToken();
    const now = c.var.clock.now();
    const access = new GuestAccess(
      c.var.db,
      { kind: "guest", tokenHash, now: now.toISOString() },
      c.var.config.guestCartTtlDays,
    );
    c.set("cartAccess", access);
    c.set("firstRoundTrip", access.riders);
    await next();
  });
}
