/**
 * The shopper's cart. Lines hold variants and quantities only; every total is
 * computed from current prices in integers, and lines whose variant or product
 * is gone stay visible with a warning instead of disappearing.
 */
import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { newId } from "../../platform/ids";
import { isLiveVariant, type ProductRow, products, productVariants, type VariantRow } from "../catalog";
import { type CartOwner, ownerCartId, ownsCart } from "./owner";
import type { PricedCart } from "./pricing";
import type { CartView } from "./schemas";
import { cartItems, carts } from "./tables";

/** A variant a shopper can buy: it and its product are for sale. */
export function isPurchasable(line: {
  variant: VariantRow | null;
  product: ProductRow | null;
}): line is { variant: VariantRow; product: ProductRow } {
  return isLiveVariant(line.variant) && line.product?.isActive === true && line.product.deletedAt === null;
}

/** The owner's cart lines with their variants and products, as a query to run alone or in a batch. */
export function cartLines(db: Database, owner: CartOwner) {
  return db
    .select({ item: cartItems, variant: productVariants, product: products })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .leftJoin(productVariants, eq(productVariants.id, cartItems.variantId))
    .leftJoin(products, eq(products.id, productVariants.productId))
    .where(ownsCart(owner))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.id));
}

export type CartLine = Awaited<ReturnType<typeof cartLines>>[number];

/** The cart as the shopper sees it, priced: only lines that can be bought count. */
export function toCartView(
  rows: CartLine[],
  pricing: PricedCart,
  options: {
    currency: string;
    pricesIncludeTax: boolean;
    destination: { country: string | null; region: string | null };
  },
): CartView {
  const { priced, code, method, rate } = pricing;
  const pricedLines = new Map(priced.lines.map((line) => [line.id, line]));
  const view: CartView = {
    items: [],
    subtotal_amount: priced.subtotalAmount,
    discount: code ? { code: code.code, kind: code.kind, amount: priced.discountAmount } : null,
    discount_amount: priced.discountAmount,
    destination: options.destination.country
      ? { country: options.destination.country, region: options.destination.region }
      : null,
    shipping_method: method ? { id: method.id, name: method.name, amount: priced.shippingAmount } : null,
    shipping_amount: priced.shippingAmount,
    tax_amount: priced.taxAmount,
    tax_rate_bps: rate?.rateBps ?? 0,
    prices_include_tax: options.pricesIncludeTax,
    total_amount: priced.totalAmount,
    currency: options.currency,
    item_count: 0,
    warnings: [],
    notices: cartNotices(pricing),
  };
  for (const line of rows) {
    const { item, variant, product } = line;
    const available = isPurchasable(line);
    const unit = variant?.priceAmount ?? 0;
    const amounts = pricedLines.get(item.id);
    const productId = variant?.productId ?? "";
    view.items.push({
      id: item.id,
      product_id: productId,
      variant_id: item.variantId,
      name: product?.name ?? "",
      variant_title: variant?.title ?? "",
      sku: variant?.sku ?? "",
      unit_price_amount: unit,
      quantity: item.quantity,
      line_amount: amounts?.lineAmount ?? 0,
      discount_amount: amounts?.discountAmount ?? 0,
      tax_amount: amounts?.taxAmount ?? 0,
      available,
    });
    view.item_count += item.quantity;
    if (!available) {
      view.warnings.push({
        code: "product_unavailable",
        item_id: item.id,
        product_id: productId,
        variant_id: item.variantId,
        message: "This product is no longer for sale; remove it to check out.",
      });
    } else if (item.quantity > line.variant.stockAvailable) {
      view.warnings.push({
        code: "insufficient_stock",
        item_id: item.id,
        product_id: productId,
        variant_id: item.variantId,
        available: line.variant.stockAvailable,
        message: `Only ${line.variant.stockAvailable} available.`,
      });
    }
  }
  return view;
}

/** Why the cart's code or method does not count now. */
function cartNotices(pricing: PricedCart): CartView["notices"] {
  const notices: CartView["notices"] = [];
  if (pricing.codeGone)
    notices.push({ code: "discount_not_found", message: "The code in this cart no longer exists." });
  if (pricing.refusal) notices.push({ code: pricing.refusal.code, message: pricing.refusal.detail });
  if (pricing.taxRefusal) notices.push({ code: pricing.taxRefusal.code, message: pricing.taxRefusal.detail });
  if (pricing.methodGone) {
    notices.push({
      code: "shipping_method_unavailable",
      message: "The shipping method chosen does not serve this destination any more: choose another.",
    });
  }
  return notices;
}

/** Creates the user's cart on first use (nothing when it exists), for a batch that writes to it. */
export function ensureCart(db: Database, userId: string, at: string) {
  return db
    .insert(carts)
    .values({ id: newId("crt"), userId, createdAt: at, updatedAt: at })
    .onConflictDoNothing();
}

/** The owner's cart lines of a variant, or of any variant of a product, as a query. */
export function linesOf(db: Database, owner: CartOwner, target: { productId?: string; variantId?: string }) {
  return db
    .select({ item: cartItems })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(
      and(
        ownsCart(owner),
        or(
          target.variantId ? eq(cartItems.variantId, target.variantId) : undefined,
          target.productId
            ? sql`${cartItems.variantId} in (select ${productVariants.id} from ${productVariants} where ${productVariants.productId} = ${target.productId})`
            : undefined,
        ),
      ),
    );
}

/**
 * Adds `quantity` of a variant to the owner's cart (after `ensureCart` in the same batch for a user), merging with
 * an existing line, in one statement that also enforces both limits, so concurrent adds cannot push a line past
 * `maxPerLine` or the cart past `maxLines`. Its result's `rowsAffected` says whether a row was written (none when
 * a guest's cart has expired).
 */
export function addToCart(
  db: Database,
  input: { owner: CartOwner; variantId: string; quantity: number; maxPerLine: number; maxLines: number; at: string },
) {
  const cartId = ownerCartId(input.owner);
  return db.run(sql`
    insert into ${cartItems} (id, cart_id, variant_id, quantity, created_at, updated_at)
    select ${newId("cit")}, ${cartId}, ${input.variantId}, ${input.quantity}, ${input.at}, ${input.at}
    where ${cartId} is not null and ${input.quantity} <= ${input.maxPerLine}
      and ((select count(*) from ${cartItems} where cart_id = ${cartId}) < ${input.maxLines}
        or exists (select 1 from ${cartItems} where cart_id = ${cartId} and variant_id = ${input.variantId}))
    on conflict (cart_id, variant_id) do update
      set quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at
      where cart_items.quantity + excluded.quantity <= ${input.maxPerLine}
  `);
}

/** A line of the owner's cart by id, as a query: another cart's line is not found. */
export function findCartLine(db: Database, owner: CartOwner, itemId: string) {
  return db
    .select({ item: cartItems, variant: productVariants, product: products })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .leftJoin(productVariants, eq(productVariants.id, cartItems.variantId))
    .leftJoin(products, eq(products.id, productVariants.productId))
    .where(and(eq(cartItems.id, itemId), ownsCart(owner)))
    .limit(1);
}
