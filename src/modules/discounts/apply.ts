/**
 * A shopper's code: found by its text (any case), and judged against a cart. Every refusal is a problem with its
 * own type, so a storefront can say why; a code that does not exist, is switched off or deleted is one and the
 * same 404, so guessing learns nothing about codes an admin withdrew. The same rules are checked again where a
 * use is written (the `discount_redemptions_usable` trigger), which is what holds under concurrency.
 */
import { and, count, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { ApiError } from "../../platform/http/problem";
import { discountCodes, discountRedemptions } from "./tables";

export type DiscountCodeRow = typeof discountCodes.$inferSelect;

/** How many uses a code has now, in all and by one customer, for judging it before the write. */
export interface CodeUses {
  total: number;
  byCustomer: number;
}

/** The id of the usable code with this text, as a scalar subquery (null when there is none). */
export function codeIdByText(code: string) {
  return sql`(select ${discountCodes.id} from ${discountCodes} where lower(${discountCodes.code}) = lower(${code}) and ${discountCodes.isActive} = 1 and ${discountCodes.deletedAt} is null)`;
}

/** The uses of the code with id `codeId` (a value or a subquery) not given back, in all and by `customer`. */
export function codeUsesQuery(db: Database, codeId: string | SQL, customer: string | SQL | null) {
  return db
    .select({
      total: count(),
      byCustomer: sql<number>`coalesce(sum(${discountRedemptions.customer} = ${customer ?? ""}), 0)`,
    })
    .from(discountRedemptions)
    .where(and(eq(discountRedemptions.codeId, codeId), isNull(discountRedemptions.releasedAt)));
}

/** The reasons the redemption trigger raises, as problems. */
const REFUSALS: Record<string, (code: DiscountCodeRow) => ApiError> = {
  discount_inactive: () => discountNotFound(),
  discount_not_started: (code) =>
    new ApiError(409, "discount_not_started", "This code is not valid yet.", {
      extensions: { starts_at: code.startsAt },
    }),
  discount_expired: (code) =>
    new ApiError(409, "discount_expired", "This code has expired.", { extensions: { ends_at: code.endsAt } }),
  discount_limit_reached: () =>
    new ApiError(409, "discount_limit_reached", "This code has been used as often as it may be."),
  discount_customer_limit_reached: () =>
    new ApiError(409, "discount_customer_limit_reached", "You have used this code as often as you may."),
};

export const REDEMPTION_REFUSALS = Object.keys(REFUSALS);

export function discountNotFound(): ApiError {
  return new ApiError(404, "discount_not_found", "No such discount code.");
}

/** The problem for a refusal the redemption trigger raised (own reasons only: not `constructor` and the like). */
export function redemptionRefused(reason: string, code: DiscountCodeRow): ApiError {
  const refusal = Object.hasOwn(REFUSALS, reason) ? REFUSALS[reason] : undefined;
  return refusal ? refusal(code) : discountNotFound();
}

/** Why `code` cannot apply to a cart with this subtotal and these eligible lines now, or null when it can. */
export function refusalOf(
  code: DiscountCodeRow,
  cart: { now: string; subtotalAmount: number; eligibleAmount: number; uses: CodeUses },
): ApiError | null {
  if (code.startsAt && code.startsAt > cart.now) return redemptionRefused("discount_not_started", code);
  if (code.endsAt && code.endsAt <= cart.now) return redemptionRefused("discount_expired", code);
  if (code.usageLimit !== null && cart.uses.total >= code.usageLimit) {
    return redemptionRefused("discount_limit_reached", code);
  }
  if (code.perCustomerLimit !== null && cart.uses.byCustomer >= code.perCustomerLimit) {
    return redemptionRefused("discount_customer_limit_reached", code);
  }
  if (cart.subtotalAmount < code.minimumSubtotalAmount) {
    return new ApiError(
      422,
      "discount_minimum_not_met",
      `This code needs a subtotal of at least ${code.minimumSubtotalAmount}.`,
      { extensions: { minimum_subtotal_amount: code.minimumSubtotalAmount, subtotal_amount: cart.subtotalAmount } },
    );
  }
  // A free-shipping code for some products or categories needs one of them in the cart, as any other code does.
  if (cart.eligibleAmount === 0) {
    return new ApiError(422, "discount_not_applicable", "This code applies to nothing in the cart.");
  }
  return null;
}

/**
 * Whether the code applies to a line of this product, in these categories (as `path`s of the category tree:
 * a code for a category covers its subcategories).
 */
export function appliesToLine(code: DiscountCodeRow, line: { productId: string; categoryPaths: readonly string[] }) {
  if (code.appliesTo === "order") return true;
  if (code.appliesTo === "products") return code.targetIds.includes(line.productId);
  return line.categoryPaths.some((path) => code.targetIds.some((id) => path.split("/").includes(id)));
}

/** The pricing module's view of a code. */
export function toPricingDiscount(code: DiscountCodeRow) {
  if (code.kind === "percentage") return { kind: "percentage", percent: code.value } as const;
  if (code.kind === "fixed") return { kind: "fixed", amount: code.value } as const;
  return { kind: "free_shipping" } as const;
}

/**
 * Who a use counts against: an email address, the account's or the guest's, so an account and a guest checkout
 * with its address are one customer. Letter case, surrounding space and a `+tag` are ignored (`Ann+x@Example.com`
 * is `ann@example.com`); other aliases a provider may have are not known here.
 */
export function customerKey(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.indexOf("@");
  const local = address.slice(0, at);
  const plus = local.indexOf("+");
  return `email:${plus === -1 ? local : local.slice(0, plus)}${address.slice(at)}`;
}

/** `customerKey` in SQL, of an email column or subquery: an account's uses are counted in the read that checks it. */
export function customerKeySql(email: SQL): SQL {
  const address = sql`lower(trim(${email}))`;
  const local = sql`substr(${address}, 1, instr(${address}, '@') - 1)`;
  const base = sql`(case when instr(${local}, '+') > 0 then substr(${local}, 1, instr(${local}, '+') - 1) else ${local} end)`;
  return sql`('email:' || ${base} || substr(${address}, instr(${address}, '@')))`;
}
