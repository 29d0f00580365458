/**
 * A product as shoppers and admins see it: the row, its options, variants, images and categories, read in one
 * batch (one round trip) for one product or a page of them.
 */
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { BatchResponse } from "drizzle-orm/batch";
import type { Database } from "../../platform/db/client";
import type { AdminProduct, AdminVariant, ProductSummary, PublicProduct } from "./schemas";
import { anyInStock, OUTER_PRODUCT_ID, priceMax, priceMin, visibleProducts } from "./search";
import {
  categories,
  type ProductImageRow,
  type ProductOptionRow,
  type ProductRow,
  productCategories,
  productImages,
  productOptions,
  products,
  productVariants,
  type VariantRow,
} from "./tables";
import { optionsRecord } from "./variants";

/** A variant a shopper can buy: active and not deleted (its product's own state is checked apart). */
export function isLiveVariant(variant: VariantRow | null | undefined): variant is VariantRow {
  return variant?.isActive === true && variant.deletedAt === null;
}

/** What a product row is shown with in lists: its price range, whether a variant has stock, its first image. */
export const summaryColumns = {
  product: products,
  priceMin,
  priceMax,
  inStock: anyInStock,
  // The first image that is of the product or of a variant for sale, as the product page shows them.
  image: sql<
    string | null
  >`(select json_object('url', ${productImages.url}, 'alt', ${productImages.alt}) from ${productImages} where ${productImages.productId} = ${OUTER_PRODUCT_ID} and (${productImages.variantId} is null or exists (select 1 from ${productVariants} where ${productVariants.id} = ${productImages.variantId} and ${productVariants.isActive} = 1 and ${productVariants.deletedAt} is null)) order by ${productImages.position} limit 1)`,
};

export interface SummaryRow {
  product: ProductRow;
  priceMin: number | null;
  priceMax: number | null;
  inStock: number;
  image: string | null;
}

export function toProductSummary(row: SummaryRow): ProductSummary {
  return {
    id: row.product.id,
    name: row.product.name,
    description: row.product.description,
    currency: row.product.currency,
    price_min_amount: row.priceMin,
    price_max_amount: row.priceMax,
    in_stock: Boolean(row.inStock),
    image: row.image === null ? null : (JSON.parse(row.image) as { url: string; alt: string }),
  };
}

/** The parts of the products with these ids, as queries for the batch that reads them. */
export function productPartQueries(db: Database, productIds: string[]) {
  return [
    db
      .select()
      .from(productVariants)
      .where(inArray(productVariants.productId, productIds))
      .orderBy(asc(productVariants.position), asc(productVariants.createdAt), asc(productVariants.id)),
    db
      .select()
      .from(productOptions)
      .where(inArray(productOptions.productId, productIds))
      .orderBy(asc(productOptions.position)),
    db
      .select()
      .from(productImages)
      .where(inArray(productImages.productId, productIds))
      .orderBy(asc(productImages.position)),
    db
      .select({
        productId: productCategories.productId,
        id: categories.id,
        slug: categories.slug,
        name: categories.name,
      })
      .from(productCategories)
      .innerJoin(categories, eq(categories.id, productCategories.categoryId))
      .where(inArray(productCategories.productId, productIds))
      .orderBy(asc(categories.path)),
  ] as const;
}

export interface ProductParts {
  variants: VariantRow[];
  options: ProductOptionRow[];
  images: ProductImageRow[];
  categories: { productId: string; id: string; slug: string; name: string }[];
}

export function toParts([variants, options, images, categoryRows]: readonly [
  VariantRow[],
  ProductOptionRow[],
  ProductImageRow[],
  ProductParts["categories"],
]): ProductParts {
  return { variants, options, images, categories: categoryRows };
}

function partsOf(parts: ProductParts, productId: string) {
  const own = <T extends { productId: string }>(rows: T[]) => rows.filter((row) => row.productId === productId);
  return {
    variants: own(parts.variants),
    options: own(parts.options),
    images: own(parts.images),
    categories: own(parts.categories).map(({ id, slug, name }) => ({ id, slug, name })),
  };
}

function toVariant(variant: VariantRow, options: ProductOptionRow[]) {
  return {
    id: variant.id,
    sku: variant.sku,
    title: variant.title,
    options: optionsRecord(options, variant.optionValues),
    price_amount: variant.priceAmount,
    compare_at_amount: variant.compareAtAmount,
    weight_grams: variant.weightGrams,
    stock_available: variant.stockAvailable,
    in_stock: variant.stockAvailable > 0,
  };
}

function priceRange(live: VariantRow[]) {
  const prices = live.map((variant) => variant.priceAmount);
  return {
    price_min_amount: prices.length > 0 ? Math.min(...prices) : null,
    price_max_amount: prices.length > 0 ? Math.max(...prices) : null,
    in_stock: live.some((variant) => variant.stockAvailable > 0),
  };
}

function toPublicProduct(product: ProductRow, parts: ProductParts): PublicProduct {
  const own = partsOf(parts, product.id);
  const live = own.variants.filter(isLiveVariant);
  const liveIds = new Set(live.map((variant) => variant.id));
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    currency: product.currency,
    ...priceRange(live),
    // Only values a variant for sale has: an unreleased colour is not announced by its option.
    options: own.options.map((option, index) => ({
      name: option.name,
      values: option.values.filter((value) => live.some((variant) => variant.optionValues[index] === value)),
    })),
    variants: live.map((variant) => toVariant(variant, own.options)),
    images: own.images
      .filter((image) => image.variantId === null || liveIds.has(image.variantId))
      .map((image) => ({ url: image.url, alt: image.alt, variant_id: image.variantId })),
    categories: own.categories,
  };
}

export function toAdminVariant(variant: VariantRow, options: ProductOptionRow[]): AdminVariant {
  return {
    ...toVariant(variant, options),
    product_id: variant.productId,
    position: variant.position,
    is_active: variant.isActive,
    initial_stock: variant.initialStock,
    stock_version: variant.stockVersion,
    created_at: variant.createdAt,
    updated_at: variant.updatedAt,
    deleted_at: variant.deletedAt,
  };
}

export function toAdminProduct(product: ProductRow, parts: ProductParts): AdminProduct {
  const own = partsOf(parts, product.id);
  return {
    ...toPublicProduct(product, parts),
    options: own.options.map((option) => ({ name: option.name, values: option.values })),
    variants: own.variants.map((variant) => toAdminVariant(variant, own.options)),
    images: own.images.map((image) => ({ url: image.url, alt: image.alt, variant_id: image.variantId })),
    is_active: product.isActive,
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    deleted_at: product.deletedAt,
  };
}

/** The product if shoppers can see it, as a query to run alone or in a batch. */
export function visibleProductQuery(db: Database, id: string) {
  return db
    .select()
    .from(products)
    .where(and(eq(products.id, id), visibleProducts({})))
    .limit(1);
}

/** A product shoppers can see, with its parts, or undefined: one round trip. */
export async function loadVisibleProduct(db: Database, id: string): Promise<PublicProduct | undefined> {
  const [[product], ...parts] = await db.batch([visibleProductQuery(db, id), ...productPartQueries(db, [id])]);
  return product ? toPublicProduct(product, toParts(parts)) : undefined;
}

/** Any product (inactive and deleted too) with its parts, as queries: alone, or after writes in one batch. */
export function adminProductQueries(db: Database, id: string) {
  return [db.select().from(products).where(eq(products.id, id)).limit(1), ...productPartQueries(db, [id])] as const;
}

/** The admin view from the results of `adminProductQueries`; undefined when there is no such product. */
export function toAdminProductFrom([[product], ...parts]: BatchResponse<ReturnType<typeof adminProductQueries>>) {
  return product ? toAdminProduct(product, toParts(parts)) : undefined;
}

/** Any product (inactive and deleted too) with its parts, for admins: one round trip. */
export async function loadAdminProduct(db: Database, id: string): Promise<AdminProduct | undefined> {
  return toAdminProductFrom(await db.batch(adminProductQueries(db, id)));
}

/**
 * A variant a shopper can buy, with its product, as a query: the variant and product both for sale. With only a
 * product id, every variant of it for sale (the caller decides whether the choice is clear).
 */
export function purchasableVariantsQuery(db: Database, target: { productId?: string; variantId?: string }) {
  return db
    .select({ variant: productVariants, product: products })
    .from(productVariants)
    .innerJoin(products, eq(products.id, productVariants.productId))
    .where(
      and(
        target.variantId ? eq(productVariants.id, target.variantId) : undefined,
        target.productId ? eq(productVariants.productId, target.productId) : undefined,
        eq(productVariants.isActive, true),
        isNull(productVariants.deletedAt),
        eq(products.isActive, true),
        isNull(products.deletedAt),
      ),
    )
    .orderBy(asc(productVariants.position), asc(productVariants.id))
    .limit(101);
}
