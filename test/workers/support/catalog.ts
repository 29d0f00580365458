import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { AdminProduct, AdminVariant } from "../../../src/modules/catalog/schemas";
import { newId } from "../../../src/platform/ids";
import { categories, productVariants } from "../../../src/schema";
import { type TestAccount, type Tokens, testDb, unique } from "./accounts";

/**
 * A product with one variant, as most tests need: the admin view, plus its one variant's fields at the top (the
 * variant's id as `variant_id`, its sku, price and stock), so a test reads `product.variant_id` for stock.
 */
export type TestProduct = AdminProduct & {
  variant_id: string;
  sku: string;
  price_amount: number;
  stock_available: number;
  stock_version: number;
};

type Admin = TestAccount & { tokens: Tokens };

const VARIANT_FIELDS = ["sku", "price_amount", "compare_at_amount", "weight_grams", "initial_stock"] as const;

export function uniqueCategory(): string {
  return unique("cat-").toLowerCase();
}

/** The id of the category with this slug, made (top level) if there is none yet. */
export async function categoryId(slug: string): Promise<string> {
  const now = new Date().toISOString();
  await testDb()
    .insert(categories)
    .values({ id: newId("cat"), slug, name: slug, createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  const [row] = await testDb().select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
  if (!row) throw new Error(`category ${slug} was not made`);
  return row.id;
}

/**
 * Creates a product through the admin API. Overrides are the product's fields, plus a single variant's fields
 * (sku, price_amount, compare_at_amount, weight_grams, initial_stock) and `category` (a slug, made if needed),
 * unless they give `variants` themselves.
 */
export async function createProduct(admin: Admin, overrides: Record<string, unknown> = {}): Promise<TestProduct> {
  const { category, ...rest } = overrides;
  const variant: Record<string, unknown> = { sku: unique("SKU-"), price_amount: 1299 };
  const product: Record<string, unknown> = { name: `Product ${unique()}` };
  for (const [field, value] of Object.entries(rest)) {
    if ((VARIANT_FIELDS as readonly string[]).includes(field)) variant[field] = value;
    else product[field] = value;
  }
  product.variants ??= [variant];
  if (typeof category === "string") product.category_ids = [await categoryId(category)];
  const response = await admin.client.json("POST", "/api/admin/products", product, admin.tokens.access_token);
  expect(response.status, await response.clone().text()).toBe(201);
  return withFirstVariant((await response.json()) as AdminProduct);
}

export function withFirstVariant(product: AdminProduct): TestProduct {
  const first = product.variants[0] as AdminVariant;
  return {
    ...product,
    variant_id: first.id,
    sku: first.sku,
    price_amount: first.price_amount,
    stock_available: first.stock_available,
    stock_version: first.stock_version,
  };
}

/** Sets a variant's on-hand count through the admin inventory endpoint (its Durable Object), as an admin would. */
export async function setStock(admin: Admin, variantId: string, onHand: number): Promise<void> {
  const response = await admin.client.json(
    "POST",
    `/api/admin/variants/${variantId}/inventory`,
    { set: onHand, reason: "test arrangement" },
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Only the catalog's mirror, not the inventory itself: for showing what shoppers see when the two differ. */
export async function setStockMirror(variantId: string, available: number): Promise<void> {
  await testDb().update(productVariants).set({ stockAvailable: available }).where(eq(productVariants.id, variantId));
}
