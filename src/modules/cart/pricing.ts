/**
 * A cart priced as checkout would price it: its lines, the code it holds, the shipping method chosen and the tax
 * of the destination, through the one pricing function. What pricing needs rides in the batch that reads the
 * cart (six more queries, no more round trips); checkout asks the same queries for the address it is given.
 */
import { and, eq, exists, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import type { ApiError } from "../../platform/http/problem";
import { users } from "../accounts";
import { categories, productCategories, productVariants } from "../catalog";
import {
  appliesToLine,
  type CodeUses,
  codeUsesQuery,
  customerKeySql,
  type DiscountCodeRow,
  discountCodes,
  refusalOf,
  toPricingDiscount,
} from "../discounts";
import { type PricedOrder, type PricingLine, priceOrder } from "../pricing";
import { methodsForCountryQuery, type ShippingMethodRow, toPricingShipping } from "../shipping";
import { pickRate, ratesForCountryQuery, type TaxRateRow } from "../tax";
import { type CartLine, cartLines, isPurchasable, toCartView } from "./cart";
import { type CartOwner, ownsCart } from "./owner";
import type { CartView } from "./schemas";
import { cartItems, carts } from "./tables";

/** Where the parcel goes (its country) and the code: values, or columns of the owner's cart. */
export interface PricingSelection {
  country: string | SQL;
  codeId: string | SQL;
}

function cartColumn(owner: CartOwner, column: SQL): SQL {
  return sql`(select ${column} from ${carts} where ${ownsCart(owner)})`;
}

/** The owner's cart's own choices, for pricing the cart as it stands. */
export function selectionOfCart(owner: CartOwner): PricingSelection {
  return {
    country: cartColumn(owner, sql`${carts.country}`),
    codeId: cartColumn(owner, sql`${carts.discountCodeId}`),
  };
}

/**
 * The queries pricing needs, to ride in a batch after `cartLines`: the cart row, its code, the code's uses, the
 * destination's shipping methods and tax rates, and the categories of the products in the cart.
 */
export function pricingQueries(
  db: Database,
  owner: CartOwner,
  selection: PricingSelection,
  customer: string | SQL | null,
) {
  const productsInCart = db
    .select({ productId: productVariants.productId })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .innerJoin(productVariants, eq(productVariants.id, cartItems.variantId))
    .where(ownsCart(owner));
  return [
    db.select().from(carts).where(ownsCart(owner)).limit(1),
    db
      .select()
      .from(discountCodes)
      .where(
        and(eq(discountCodes.id, selection.codeId), eq(discountCodes.isActive, true), isNull(discountCodes.deletedAt)),
      )
      .limit(1),
    codeUsesQuery(db, selection.codeId, customer),
    methodsForCountryQuery(db, selection.country),
    ratesForCountryQuery(db, selection.country),
    db
      .select({ productId: productCategories.productId, path: categories.path })
      .from(productCategories)
      .innerJoin(categories, eq(categories.id, productCategories.categoryId))
      // Only a code for categories needs them: for any other cart the query reads nothing.
      .where(
        and(
          inArray(productCategories.productId, productsInCart),
          exists(
            db
              .select({ id: discountCodes.id })
              .from(discountCodes)
              .where(and(eq(discountCodes.id, selection.codeId), eq(discountCodes.appliesTo, "categories"))),
          ),
        ),
      ),
  ] as const;
}

type CartRow = typeof carts.$inferSelect;

/** What `pricingQueries` answered. */
export interface PricingContext {
  cart: CartRow | undefined;
  code: DiscountCodeRow | undefined;
  uses: CodeUses;
  methods: ShippingMethodRow[];
  rates: TaxRateRow[];
  categories: { productId: string; path: string }[];
}

export function toPricingContext([[cart], [code], [uses], methods, rates, paths]: readonly [
  CartRow[],
  DiscountCodeRow[],
  { total: number; byCustomer: number }[],
  ShippingMethodRow[],
  TaxRateRow[],
  { productId: string; path: string }[],
]): PricingContext {
  return {
    cart,
    code,
    uses: { total: uses?.total ?? 0, byCustomer: Number(uses?.byCustomer ?? 0) },
    methods,
    rates,
    categories: paths,
  };
}

/** A priced cart: the totals, and what they were computed with. */
export interface PricedCart {
  priced: PricedOrder;
  /** The code applied; null when the cart holds none, or holds one that cannot apply (see `refusal`). */
  code: DiscountCodeRow | null;
  /** Why the code the cart holds does not apply now (a problem, as applying it would answer). */
  refusal: ApiError | null;
  /** The cart holds a code that no longer exists, is switched off or deleted. */
  codeGone: boolean;
  method: ShippingMethodRow | null;
  /** The cart names a method that does not serve its destination (any more). */
  methodGone: boolean;
  rate: TaxRateRow | null;
  /** The destination's region is not one its country is taxed by (a country taxed only by region). */
  taxRefusal: ApiError | null;
}

/**
 * Prices the cart's lines that can be bought with the context's code, the method `shippingMethodId` (when it
 * serves the destination) and the destination's rate.
 */
export function priceCart(
  lines: CartLine[],
  context: PricingContext,
  options: {
    now: string;
    pricesIncludeTax: boolean;
    shippingMethodId: string | null;
    codeId: string | null;
    /** The destination's region, for a regional tax rate. */
    region: string | null;
  },
): PricedCart {
  const { code } = context;
  const pathsOf = (productId: string) =>
    context.categories.filter((row) => row.productId === productId).map((row) => row.path);
  const pricingLines: PricingLine[] = lines.flatMap((line) => {
    if (!isPurchasable(line)) return [];
    const { variant, product } = line;
    const categoryPaths = pathsOf(product.id);
    return [
      {
        id: line.item.id,
        unitPriceAmount: variant.priceAmount,
        quantity: line.item.quantity,
        weightGrams: variant.weightGrams,
        discountEligible: code !== undefined && appliesToLine(code, { productId: product.id, categoryPaths }),
      },
    ];
  });
  const amountOf = (items: PricingLine[]) => items.reduce((sum, line) => sum + line.unitPriceAmount * line.quantity, 0);
  const refusal = code
    ? refusalOf(code, {
        now: options.now,
        subtotalAmount: amountOf(pricingLines),
        eligibleAmount: amountOf(pricingLines.filter((line) => line.discountEligible)),
        uses: context.uses,
      })
    : null;
  const applied = code && !refusal ? code : null;
  const method = context.methods.find((candidate) => candidate.id === options.shippingMethodId) ?? null;
  const { rate, refusal: taxRefusal } = pickRate(context.rates, options.region);
  const priced = priceOrder({
    lines: applied ? pricingLines : pricingLines.map((line) => ({ ...line, discountEligible: false })),
    discount: applied ? toPricingDiscount(applied) : null,
    shipping: method ? toPricingShipping(method) : null,
    taxRateBps: rate?.rateBps ?? 0,
    pricesIncludeTax: options.pricesIncludeTax,
  });
  return {
    priced,
    code: applied,
    refusal,
    codeGone: options.codeId !== null && !code,
    method,
    methodGone: options.shippingMethodId !== null && !method,
    rate,
    taxRefusal,
  };
}

/**
 * The queries of a priced cart view, for a batch: the lines, then what pricing needs, for the cart's own choices
 * or with some replaced (a code being applied, a country being looked at).
 */
export function cartViewQueries(db: Database, owner: CartOwner, instead: Partial<PricingSelection> = {}) {
  const customer =
    owner.kind === "user"
      ? customerKeySql(sql`(select ${users.email} from ${users} where ${users.id} = ${owner.userId})`)
      : null;
  const selection = { ...selectionOfCart(owner), ...instead };
  return [cartLines(db, owner), ...pricingQueries(db, owner, selection, customer)] as const;
}

/** What `cartViewQueries` answered, with its lines and pricing context apart. */
export function cartPricingFrom([lines, ...pricing]: CartViewResults) {
  return { lines, context: toPricingContext(pricing) };
}

type CartViewResults = readonly [CartLine[], ...Parameters<typeof toPricingContext>[0]];

/** The priced cart view from what `cartViewQueries` answered. */
export function cartViewFrom(
  results: CartViewResults,
  config: { storeCurrency: string; pricesIncludeTax: boolean },
  now: Date,
): CartView {
  const { lines, context } = cartPricingFrom(results);
  const cart = context.cart;
  const priced = priceCart(lines, context, {
    now: now.toISOString(),
    pricesIncludeTax: config.pricesIncludeTax,
    shippingMethodId: cart?.shippingMethodId ?? null,
    codeId: cart?.discountCodeId ?? null,
    region: cart?.region ?? null,
  });
  const view = toCartView(lines, priced, {
    currency: config.storeCurrency,
    pricesIncludeTax: config.pricesIncludeTax,
    destination: { country: cart?.country ?? null, region: cart?.region ?? null },
  });
  // A guest's cart says until when it lives: read in the same batch as any write that moved it.
  return cart?.expiresAt ? { ...view, expires_at: cart.expiresAt } : view;
}
