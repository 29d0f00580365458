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

export async function cartLines(db: Database, userId: string) {
  return db
    .select({ item: cartItems, product: products })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .leftJoin(products, eq(products.id, cartItems.productId))
    .where(eq(carts.userId, userId))
    .orderBy(asc(cartItems.createdAt), asc(cartItems.id));
}

/** The cart as the shopper sees it; the subtotal counts only lines that can be bought. */
export async function viewCart(db: Database, userId: string, currency: string): Promise<CartView> {
  const rows = await cartLines(db, userId);
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

/** The user's cart id, creating the cart on first use. */
export async function ensureCart(db: Database, userId: string): Promise<string> {
  const now = new Date().toISOString();
  await db
    .insert(carts)
    .values({ id: newId("crt"), userId, createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  const [cart] = await db.select({ id: carts.id }).from(carts).where(eq(carts.userId, userId)).limit(1);
  if (!cart) throw new Error("cart vanished after creation");
  return cart.id;
}

/**
 * Adds `quantity` of a product, merging with an existing line, in one
 * statement that also enforces both limits, so concurrent adds cannot push a
 * line past `maxPerLine` or the cart past `maxLines`. Returns whether a row
 * was written.
 */
export async function addToCart(
  db: Database,
  input: { cartId: string; productId: string; quantity: number; maxPerLine: number; maxLines: number },
): Promise<boolean> {
  const now = new Date().toISOString();
  const result = await db.run(sql`
    insert into ${cartItems} (id, cart_id, product_id, quantity, created_at, updated_at)
    select ${newId("cit")}, ${input.cartId}, ${input.productId}, ${input.quantity}, ${now}, ${now}
    where ${input.quantity} <= ${input.maxPerLine}
      and ((select count(*) from ${cartItems} where cart_id = ${input.cartId}) < ${input.maxLines}
        or exists (select 1 from ${cartItems} where cart_id = ${input.cartId} and product_id = ${input.productId}))
    on conflict (cart_id, product_id) do update
      set quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at
      where cart_items.quantity + excluded.quantity <= ${input.maxPerLine}
  `);
  return result.rowsAffected === 1;
}

export async function findCartLine(db: Database, userId: string, itemId: string) {
  const [row] = await db
    .select({ item: cartItems, product: products })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .leftJoin(products, eq(products.id, cartItems.productId))
    .where(and(eq(cartItems.id, itemId), eq(carts.userId, userId)))
    .limit(1);
  return row;
}
