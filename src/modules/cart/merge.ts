/**
 * A guest cart joins the account's cart when its holder signs in. The statements run in the sign-in's own batch
 * (one transaction, no extra round trip): the account's cart is made if missing, the lines move only from a guest
 * cart still existing and unexpired, and the last statement deletes it: of concurrent sign-ins with one token, the first merges and the others find nothing.
 */
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Database } from "../../platform/db/client";
import type { AppBindings } from "../../platform/http/types";
import type { SignInExtension } from "../accounts";
import { ensureCart } from "./cart";
import { CART_TOKEN_HEADER, cartTokenHash } from "./cart-token";
import { type CartOwner, ownerCartId } from "./owner";
import { cartItems, carts } from "./tables";

interface MergeInput {
  userId: string;
  guest: CartOwner & { kind: "guest" };
  maxPerLine: number;
  maxLines: number;
  at: string;
}

/**
 * Same variant: quantities add up, capped at `maxPerLine`. New variants join in the order the guest added them
 * while the account's cart has fewer than `maxLines` lines; the rest are dropped. A new line's id is made in SQL,
 * one per row: the `cit_` prefix and 128 random bits, in hex rather than `newId`'s base36 (ids are opaque).
 */
function mergeLines(db: Database, { userId, guest, maxPerLine, maxLines, at }: MergeInput) {
  const target = ownerCartId({ kind: "user", userId });
  const source = ownerCartId(guest);
  // The ranking is computed before any row is inserted (SQLite materializes a SELECT that reads the table it
  // writes), so the room left is counted once, against the cart as it was.
  return db.run(sql`
    insert into ${cartItems} (id, cart_id, variant_id, quantity, created_at, updated_at)
    select 'cit_' || lower(hex(randomblob(16))), ${target}, variant_id, min(quantity, ${maxPerLine}), ${at}, ${at}
    from (
      select guest.variant_id, guest.quantity,
        exists (select 1 from ${cartItems} mine where mine.cart_id = ${target} and mine.variant_id = guest.variant_id)
          as present,
        row_number() over (
          partition by exists (
            select 1 from ${cartItems} mine where mine.cart_id = ${target} and mine.variant_id = guest.variant_id
          )
          order by guest.created_at, guest.id
        ) as rank
      from ${cartItems} guest
      where guest.cart_id = ${source}
    )
    where present or rank + (select count(*) from ${cartItems} where cart_id = ${target}) <= ${maxLines}
    on conflict (cart_id, variant_id) do update
      set quantity = min(cart_items.quantity + excluded.quantity, ${maxPerLine}), updated_at = excluded.updated_at
  `);
}

/**
 * The merge as statements for one batch: the account's cart (made on first use), the lines, then the guest's lines
 * and cart deleted. Their results, given to `mergedLines`, say how many lines were merged, or null when there was
 * no unexpired guest cart to merge.
 */
function mergeGuestCartStatements(db: Database, input: MergeInput) {
  const source = ownerCartId(input.guest);
  return [
    ensureCart(db, input.userId, input.at),
    mergeLines(db, input),
    db.run(sql`delete from ${cartItems} where cart_id = ${source}`),
    db.run(sql`delete from ${carts} where id = ${source}`),
  ] as const;
}

type Written = { rowsAffected: number };

function mergedLines(results: readonly unknown[]): number | null {
  const [, lines, , deleted] = results as [unknown, Written, Written, Written];
  return deleted.rowsAffected === 1 ? lines.rowsAffected : null;
}

/**
 * The sign-in hook the composition root gives the accounts module: a request carrying a well-formed cart token
 * merges that cart; without one (or with a malformed one) the sign-in goes on as usual.
 */
export async function mergeGuestCartOnSignIn(
  c: Context<AppBindings>,
  userId: string,
  at: Date,
): Promise<SignInExtension | null> {
  const token = c.req.header(CART_TOKEN_HEADER);
  const tokenHash = token === undefined ? null : await cartTokenHash(token.trim());
  if (!tokenHash) return null;
  const { maxQuantityPerLine, maxLines } = c.var.config.cart;
  const statements = mergeGuestCartStatements(c.var.db, {
    userId,
    guest: { kind: "guest", tokenHash, now: at.toISOString() },
    maxPerLine: maxQuantityPerLine,
    maxLines,
    at: at.toISOString(),
  });
  return {
    statements,
    answer: (results) => {
      const lines = mergedLines(results);
      return lines === null ? {} : { cart_merged: { lines } };
    },
  };
}
