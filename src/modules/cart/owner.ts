/**
 * Whose cart a request works on: a signed-in user's, or a guest's, named by the SHA-256 of its cart token. A
 * guest's cart is found by that hash and only while it has not expired, in the same query that reads or writes it,
 * so a guest request costs no extra round trip and a stolen hash of an expired cart opens nothing.
 */
import { and, eq, gt, type SQL, sql } from "drizzle-orm";
import { carts } from "./tables";

export type CartOwner =
  | { readonly kind: "user"; readonly userId: string }
  | { readonly kind: "guest"; readonly tokenHash: string; readonly now: string };

/** The condition on `carts` that selects the owner's cart. */
export function ownsCart(owner: CartOwner): SQL {
  if (owner.kind === "user") return eq(carts.userId, owner.userId);
  return and(eq(carts.tokenHash, owner.tokenHash), gt(carts.expiresAt, owner.now)) as SQL;
}

/** The owner's cart id, as a scalar subquery for statements that write lines. */
export function ownerCartId(owner: CartOwner): SQL {
  return sql`(select ${carts.id} from ${carts} where ${ownsCart(owner)})`;
}
