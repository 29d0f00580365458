/**
 * The shopper's cart. Lines hold products and quantities only; every total is
 * computed from current prices in integers, and lines whose product is gone
 * stay visible with a warning instead of disappearing.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { newId } from "../../platform/ids";
import { type ProductRow, products } from "../catalog";
import type { CartView } from "./schemas";
import { cartItems, carts } from "./tables";

export function isPurchasable(product: ProductRow | null | undefined): product is ProductRow {
  return product?.isActive === true && product.deletedAt === null;
}

/** The user's cart lines with their products, as a query to run alone or in a batch. */
export function cartLines(db: Database, userId: string) {
  return db
    .select({ item: cartItems, product: products })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .leftJoin(products, eq(products.id, cartItems.productId))
    .where(eq(carts.userId, userId))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.id));
}

type CartLine = Awaited<ReturnType<typeof cartLines>>[number];

/** The cart as the shopper sees it; the subtotal counts only lines that can be bought. */
export function toCartView(rows: CartLine[], currency: string): CartView {
  const view: CartView = { items: [], subtotal_amount: 0, currency, item_count: 0, warnings: [] };
  for (const { item, product } of rows) {
    const available = isPurchasable(product);
    const unit = product?.priceAmount ?? 0;
    const lineAmount = available ? unit * item.quantity : 0;
    view.items.push({
      id: item.id,
      product_id: item.productId,
      name: product?.name ?? "",
      sku: product?.sku ?? "",
      unit_price_amount: unit,
      quantity: item.quantity,
      line_amount: lineAmount,
      available,
    });
    view.subtotal_amount += lineAmount;
    view.item_count += item.quantity;
    if (!available) {
      view.warnings.push({
        code: "product_unavailable",
        item_id: item.id,
        product_id: item.productId,
        message: "This product is no longer for sale; remove it to check out.",
      });
    } else if (item.quantity > product.stockAvailable) {
      view.warnings.push({
        code: "insufficient_stock",
        item_id: item.id,
        product_id: item.productId,
        available: product.stockAvailable,
        message: `Only ${product.stockAvailable} available.`,
      });
    }
  }
  return view;
}

/** Creates the user's cart on first use (nothing when it exists), for the batch that adds the first line. */
export function ensureCart(db: Database, userId: string, at: string) {
  return db
    .insert(carts)
    .values({ id: newId("crt"), userId, createdAt: at, updatedAt: at })
    .onConflictDoNothing();
}

/** The line of a product in the user's cart, if there is one. */
export function lineOfProduct(db: Database, userId: string, productId: string) {
  return db
    .select({ item: cartItems })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(and(eq(carts.userId, userId), eq(cartItems.productId, productId)))
    .limit(1);
}

/**
 * Adds `quantity` of a product to the user's cart (after `ensureCart` in the same batch), merging with an
 * existing line, in one statement that also enforces both limits, so concurrent adds cannot push a line past
 * `maxPerLine` or the cart past `maxLines`. Its result's `rowsAffected` says whether a row was written.
 */
export function addToCart(
  db: Database,
  input: { userId: string; productId: string; quantity: number; maxPerLine: number; maxLines: number; at: string },
) {
  const cartId = sql`(select id from ${carts} where user_id = ${input.userId})`;
  return db.run(sql`
    insert into ${cartItems} (id, cart_id, product_id, quantity, created_at, updated_at)
    select ${newId("cit")}, ${cartId}, ${input.productId}, ${input.quantity}, ${input.at}, ${input.at}
    where ${input.quantity} <= ${input.maxPerLine}
      and ((select count(*) from ${cartItems} where cart_id = ${cartId}) < ${input.maxLines}
        or exists (select 1 from ${cartItems} where cart_id = ${cartId} and product_id = ${input.productId}))
    on conflict (cart_id, product_id) do update
      set quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at
      where cart_items.quantity + excluded.quantity <= ${input.maxPerLine}
  `);
}

/** A line of the user's cart by id, as a query: another user's line is not found. */
export function findCartLine(db: Database, userId: string, itemId: string) {
  return db
    .select({ item: cartItems, product: products })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .leftJoin(products, eq(products.id, cartItems.productId))
    .where(and(eq(cartItems.id, itemId), eq(carts.userId, userId)))
    .limit(1);
}
