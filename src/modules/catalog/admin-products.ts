/**
 * Admin changes to products and their variants, options and images. Each change is one batch with its audit entry,
 * and the rules that must hold under concurrent admins (a sku once, one variant per combination, at most 100, never
 * none, values in use kept) are checked by the database inside that write (migration 0009's triggers and
 * conditional statements): the reads before a write only choose the problem to answer.
 */
import type { z } from "@hono/zod-openapi";
import { and, asc, eq, exists, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { type AuditLog, describeChanges } from "../../platform/audit/audit-log";
import type { Database } from "../../platform/db/client";
import { isRaisedBy, isUniqueViolation, translateRefusal } from "../../platform/db/errors";
import { containsText } from "../../platform/db/search";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError, invalidField } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import {
  adminProductQueries,
  loadAdminProduct,
  productPartQueries,
  toAdminProduct,
  toAdminProductFrom,
  toAdminVariant,
  toParts,
} from "./product-views";
import type {
  AdminProduct,
  AdminVariant,
  CreateProductSchema,
  CreateVariantSchema,
  ReplaceImagesSchema,
  ReplaceOptionsSchema,
  UpdateProductSchema,
  UpdateVariantSchema,
} from "./schemas";
import { OUTER_PRODUCT_ID } from "./search";
import { productCategories, productImages, productOptions, products, productVariants, type VariantRow } from "./tables";
import { combinationOf, type OptionDefinition, refusedOptionChange, variantTitle } from "./variants";

/** What every admin change needs: the database, the audit log, and who acts. */
export interface CatalogAdmin {
  db: Database;
  audit: AuditLog;
  actorId: string;
  /** Starts a new variant's stock object (from its initial stock) and says where it stands. */
  startStock: (variantId: string) => Promise<{ available: number; version: number }>;
}

type Batch = readonly [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

const skuTaken = () => new ApiError(409, "sku_conflict", "Another variant already has this sku.");
const notFound = () => new ApiError(404, "not_found", "No such product.");
const variantNotFound = () => new ApiError(404, "not_found", "No such variant.");

/** The database's own refusals (constraints and triggers of migration 0009) as the problems they mean. */
function catalogRefusal(error: unknown): ApiError | undefined {
  if (isUniqueViolation(error)) {
    if (isRaisedBy(error, "product_variants_sku_unique")) return skuTaken();
    if (isRaisedBy(error, "option_values")) {
      return new ApiError(409, "variant_exists", "Another variant of this product has these option values.");
    }
    return undefined;
  }
  if (isRaisedBy(error, "category_missing")) return invalidField("body.category_ids", "No such category");
  if (isRaisedBy(error, "variant_limit")) {
    return new ApiError(409, "variant_limit", "A product has at most 100 variants.");
  }
  if (isRaisedBy(error, "variant_options_invalid")) {
    return new ApiError(409, "options_changed", "The product's options changed meanwhile: read it and try again.");
  }
  if (isRaisedBy(error, "option_value_in_use")) {
    return new ApiError(409, "option_value_in_use", "A variant uses a value this change removes.");
  }
  if (isRaisedBy(error, "product_variants_compare_at_above_price")) {
    return invalidField("body.compare_at_amount", "must be above price_amount");
  }
  return undefined;
}

function batchOf(db: Database, statements: BatchItem<"sqlite">[]) {
  return translateRefusal(db.batch(statements as unknown as Batch), catalogRefusal);
}

/**
 * Runs `writes`, then reads the product back, in one batch: the answer is the product as the writes left it, and
 * a refusal of any write leaves nothing written. Undefined when there is no such product.
 */
async function writeThenRead(
  db: Database,
  productId: string,
  writes: BatchItem<"sqlite">[],
): Promise<AdminProduct | undefined> {
  const reads = adminProductQueries(db, productId);
  const results = await batchOf(db, [...writes, ...reads]);
  // The reads are the batch's last results, whatever the writes were.
  return toAdminProductFrom(results.slice(writes.length) as unknown as BatchResponse<typeof reads>);
}

/** A change to a product, written with its `product.updated` audit entry; the product as it now is. */
async function changeProduct(
  admin: CatalogAdmin,
  id: string,
  writes: BatchItem<"sqlite">[],
  changes: Record<string, unknown>,
): Promise<AdminProduct> {
  const updated = await writeThenRead(admin.db, id, [
    ...writes,
    admin.audit.insert({
      action: "product.updated",
      actorId: admin.actorId,
      targetType: "product",
      targetId: id,
      details: { changes },
    }),
  ]);
  if (!updated) throw notFound();
  return updated;
}

function categoryRows(productId: string, categoryIds: string[]) {
  return [...new Set(categoryIds)].map((categoryId) => ({ productId, categoryId }));
}

export async function findProduct(db: Database, id: string): Promise<AdminProduct> {
  const product = await loadAdminProduct(db, id);
  if (!product) throw notFound();
  return product;
}

async function findVariant(db: Database, id: string): Promise<VariantRow> {
  const [variant] = await db.select().from(productVariants).where(eq(productVariants.id, id)).limit(1);
  if (!variant) throw variantNotFound();
  return variant;
}

type VariantInput = z.infer<typeof CreateVariantSchema>;

/** A new variant's row: its title and stored values from the options it picks (already checked). */
function variantRow(
  productId: string,
  options: readonly OptionDefinition[],
  input: VariantInput,
  at: { position: number; now: string; path: string },
) {
  const combination = combinationOf(options, input.options);
  if (!combination.ok) throw invalidField(at.path, combination.message);
  return {
    id: newId("var"),
    productId,
    sku: input.sku,
    title: variantTitle(combination.values),
    optionValues: combination.values,
    position: at.position,
    priceAmount: input.price_amount,
    compareAtAmount: input.compare_at_amount ?? null,
    weightGrams: input.weight_grams ?? null,
    isActive: input.is_active,
    initialStock: input.initial_stock,
    // Until its inventory object first runs, the variant has exactly its initial stock available.
    stockAvailable: input.initial_stock,
    createdAt: at.now,
    updatedAt: at.now,
  };
}

/** A product with its options, variants, images and categories, in one batch; each variant's stock started. */
export async function createProduct(
  admin: CatalogAdmin,
  input: z.infer<typeof CreateProductSchema>,
  currency: string,
): Promise<AdminProduct> {
  const { db, audit } = admin;
  const now = new Date().toISOString();
  const id = newId("prd");
  const variants = input.variants.map((variant, position) =>
    variantRow(id, input.options, variant, { position, now, path: `body.variants.${position}.options` }),
  );
  const variantIdBySku = new Map(variants.map((variant) => [variant.sku.toLowerCase(), variant.id]));
  const images = input.images.map((image, position) => ({
    id: newId("img"),
    productId: id,
    variantId: image.variant_sku === undefined ? null : (variantIdBySku.get(image.variant_sku.toLowerCase()) ?? null),
    url: image.url,
    alt: image.alt,
    position,
  }));
  const options = input.options.map((option, position) => ({
    id: newId("opt"),
    productId: id,
    name: option.name,
    position,
    values: option.values,
  }));
  const created = await writeThenRead(db, id, [
    db.insert(products).values({
      id,
      name: input.name,
      description: input.description,
      currency,
      isActive: input.is_active,
      createdAt: now,
      updatedAt: now,
    }),
    // Options before variants: the trigger checks each variant against them.
    ...(options.length > 0 ? [db.insert(productOptions).values(options)] : []),
    db.insert(productVariants).values(variants),
    ...(images.length > 0 ? [db.insert(productImages).values(images)] : []),
    ...(input.category_ids.length > 0
      ? [db.insert(productCategories).values(categoryRows(id, input.category_ids))]
      : []),
    audit.insert({
      action: "product.created",
      actorId: admin.actorId,
      targetType: "product",
      targetId: id,
      details: {
        variants: variants.map((variant) => ({
          sku: variant.sku,
          price_amount: variant.priceAmount,
          initial_stock: variant.initialStock,
        })),
      },
    }),
  ]);
  if (!created) throw new Error("product insert returned no row");
  // Touched now, so the catalog shows each variant's stock at once.
  const levels = new Map(
    await Promise.all(variants.map(async (variant) => [variant.id, await admin.startStock(variant.id)] as const)),
  );
  return {
    ...created,
    variants: created.variants.map((variant) => {
      const level = levels.get(variant.id);
      return level ? { ...variant, stock_available: level.available, stock_version: level.version } : variant;
    }),
  };
}

const NEWEST_FIRST = newestFirst(products.createdAt, products.id);

const STATUS_FILTERS: Record<string, SQL | undefined> = {
  all: undefined,
  active: and(eq(products.isActive, true), isNull(products.deletedAt)),
  inactive: and(eq(products.isActive, false), isNull(products.deletedAt)),
  deleted: isNotNull(products.deletedAt),
};

/** Every product (inactive and deleted too), newest first, by part of its name or of a variant's sku. */
export async function listProducts(
  db: Database,
  query: { limit: number; cursor?: string | undefined; status: keyof typeof STATUS_FILTERS; q?: string | undefined },
) {
  const conditions: (SQL | undefined)[] = [STATUS_FILTERS[query.status]];
  if (query.q) {
    const skuMatches = db
      .select({ id: productVariants.id })
      .from(productVariants)
      .where(and(sql`${productVariants.productId} = ${OUTER_PRODUCT_ID}`, containsText(productVariants.sku, query.q)));
    conditions.push(or(containsText(products.name, query.q), exists(skuMatches)));
  }
  conditions.push(NEWEST_FIRST.after(query.cursor));
  const rows = await db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(query.limit + 1);
  const { page, nextCursor } = paginate(rows, query.limit, (product) => [product.createdAt, product.id]);
  if (page.length === 0) return { data: [], nextCursor };
  const parts = toParts(
    await db.batch(
      productPartQueries(
        db,
        page.map((product) => product.id),
      ),
    ),
  );
  return { data: page.map((product) => toAdminProduct(product, parts)), nextCursor };
}

export async function updateProduct(
  admin: CatalogAdmin,
  id: string,
  input: z.infer<typeof UpdateProductSchema>,
): Promise<AdminProduct> {
  const { db } = admin;
  const before = await findProduct(db, id);
  const categoryIds = input.category_ids;
  return changeProduct(
    admin,
    id,
    [
      db
        .update(products)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.is_active !== undefined ? { isActive: input.is_active } : {}),
          updatedAt: new Date().toISOString(),
        })
        .where(eq(products.id, id)),
      ...(categoryIds ? [db.delete(productCategories).where(eq(productCategories.productId, id))] : []),
      ...(categoryIds && categoryIds.length > 0
        ? [db.insert(productCategories).values(categoryRows(id, categoryIds))]
        : []),
    ],
    describeChanges({ ...before, category_ids: before.categories.map((category) => category.id) }, input),
  );
}

/** The rules are `refusedOptionChange`'s; the trigger on product_options holds them against concurrent writes. */
export async function replaceOptions(
  admin: CatalogAdmin,
  id: string,
  { options }: z.infer<typeof ReplaceOptionsSchema>,
): Promise<AdminProduct> {
  const { db } = admin;
  const before = await findProduct(db, id);
  const live = before.variants.filter((variant) => variant.deleted_at === null);
  const used = live.map((variant) => before.options.map((option) => variant.options[option.name] ?? ""));
  const refused = refusedOptionChange(before.options, options, used);
  if (refused) throw new ApiError(409, refused.code, refused.message);
  if (options.length === 0) return before;
  // Changed in place, by position, in one statement: the trigger on product_options re-checks inside the write that
  // every live variant's value is still there (a variant added meanwhile included).
  const byPosition = (fieldOf: (option: (typeof options)[number]) => string) =>
    sql`case ${productOptions.position} ${sql.join(
      options.map((option, position) => sql`when ${position} then ${fieldOf(option)}`),
      sql` `,
    )} end`;
  return changeProduct(
    admin,
    id,
    [
      // Names go through a placeholder of each row's own first: the unique index on names is checked row by row,
      // so options swapping names in one statement would collide half-way.
      db
        .update(productOptions)
        .set({ name: sql`char(0) || ${productOptions.id}` })
        .where(eq(productOptions.productId, id)),
      db
        .update(productOptions)
        .set({
          name: byPosition((option) => option.name),
          values: byPosition((option) => JSON.stringify(option.values)),
        })
        .where(eq(productOptions.productId, id)),
      db.update(products).set({ updatedAt: new Date().toISOString() }).where(eq(products.id, id)),
    ],
    { options: { from: before.options, to: options } },
  );
}

export async function replaceImages(
  admin: CatalogAdmin,
  id: string,
  { images }: z.infer<typeof ReplaceImagesSchema>,
): Promise<AdminProduct> {
  const { db } = admin;
  const before = await findProduct(db, id);
  const variantIds = new Set(before.variants.map((variant) => variant.id));
  for (const [index, image] of images.entries()) {
    if (image.variant_id && !variantIds.has(image.variant_id)) {
      throw invalidField(`body.images.${index}.variant_id`, "No such variant of this product");
    }
  }
  const rows = images.map((image, position) => ({
    id: newId("img"),
    productId: id,
    variantId: image.variant_id ?? null,
    url: image.url,
    alt: image.alt,
    position,
  }));
  return changeProduct(
    admin,
    id,
    [
      db.delete(productImages).where(eq(productImages.productId, id)),
      ...(rows.length > 0 ? [db.insert(productImages).values(rows)] : []),
      db.update(products).set({ updatedAt: new Date().toISOString() }).where(eq(products.id, id)),
    ],
    { images: { from: before.images.length, to: images.length } },
  );
}

/** Soft: hidden from the catalog and new carts, restorable. True when this call deleted it. */
export async function deleteProduct(admin: CatalogAdmin, id: string): Promise<boolean> {
  const { db, audit } = admin;
  const product = await findProduct(db, id);
  if (product.deleted_at) return false;
  const now = new Date().toISOString();
  await db.batch([
    db.update(products).set({ deletedAt: now, updatedAt: now }).where(eq(products.id, id)),
    audit.insert({ action: "product.deleted", actorId: admin.actorId, targetType: "product", targetId: id }),
  ]);
  return true;
}

export async function restoreProduct(admin: CatalogAdmin, id: string): Promise<AdminProduct> {
  const { db, audit } = admin;
  const restored = await writeThenRead(db, id, [
    db.update(products).set({ deletedAt: null, updatedAt: new Date().toISOString() }).where(eq(products.id, id)),
    audit.insertWhen(
      { action: "product.restored", actorId: admin.actorId, targetType: "product", targetId: id },
      sql`changes() > 0`,
    ),
  ]);
  if (!restored) throw notFound();
  return restored;
}

/** A variant and its options, read together after a write to it. */
function variantThenOptions(db: Database, variantId: string, productId: string) {
  return [
    db.select().from(productVariants).where(eq(productVariants.id, variantId)).limit(1),
    db
      .select()
      .from(productOptions)
      .where(eq(productOptions.productId, productId))
      .orderBy(asc(productOptions.position)),
  ] as const;
}

/** One variant (inactive and deleted ones too), with its product's options for its option names. */
export async function getVariant(db: Database, id: string): Promise<AdminVariant> {
  const variant = await findVariant(db, id);
  const [, options] = await db.batch(variantThenOptions(db, id, variant.productId));
  return toAdminVariant(variant, options);
}

export async function addVariant(admin: CatalogAdmin, productId: string, input: VariantInput): Promise<AdminVariant> {
  const { db, audit } = admin;
  const product = await findProduct(db, productId);
  const row = variantRow(productId, product.options, input, {
    position: product.variants.length,
    now: new Date().toISOString(),
    path: "body.options",
  });
  const [, , [created], options] = await translateRefusal(
    db.batch([
      db.insert(productVariants).values(row),
      audit.insert({
        action: "variant.created",
        actorId: admin.actorId,
        targetType: "variant",
        targetId: row.id,
        details: {
          product_id: productId,
          sku: input.sku,
          price_amount: input.price_amount,
          initial_stock: input.initial_stock,
        },
      }),
      ...variantThenOptions(db, row.id, productId),
    ]),
    catalogRefusal,
  );
  if (!created) throw new Error("variant insert returned no row");
  const level = await admin.startStock(row.id);
  return toAdminVariant({ ...created, stockAvailable: level.available, stockVersion: level.version }, options);
}

export async function updateVariant(
  admin: CatalogAdmin,
  id: string,
  input: z.infer<typeof UpdateVariantSchema>,
): Promise<AdminVariant> {
  const { db, audit } = admin;
  const before = await findVariant(db, id);
  const [, , [updated], options] = await translateRefusal(
    db.batch([
      db
        .update(productVariants)
        .set({
          ...(input.sku !== undefined ? { sku: input.sku } : {}),
          ...(input.price_amount !== undefined ? { priceAmount: input.price_amount } : {}),
          ...(input.compare_at_amount !== undefined ? { compareAtAmount: input.compare_at_amount } : {}),
          ...(input.weight_grams !== undefined ? { weightGrams: input.weight_grams } : {}),
          ...(input.is_active !== undefined ? { isActive: input.is_active } : {}),
          updatedAt: new Date().toISOString(),
        })
        .where(eq(productVariants.id, id)),
      audit.insert({
        action: "variant.updated",
        actorId: admin.actorId,
        targetType: "variant",
        targetId: id,
        details: {
          product_id: before.productId,
          changes: describeChanges(
            {
              sku: before.sku,
              price_amount: before.priceAmount,
              compare_at_amount: before.compareAtAmount,
              weight_grams: before.weightGrams,
              is_active: before.isActive,
            },
            input,
          ),
        },
      }),
      ...variantThenOptions(db, id, before.productId),
    ]),
    catalogRefusal,
  );
  if (!updated) throw variantNotFound();
  return toAdminVariant(updated, options);
}

/**
 * Deletes a variant: for good when no order line refers to it (its cart lines go with it), else soft (orders keep
 * their lines; cart lines show it unavailable). Never the product's last live variant. One batch, so the count of
 * live variants is the one the write sees: two concurrent deletes cannot both remove the last two. The order and
 * cart lines are named by their tables here (the catalog cannot import those modules, which import it). Returns
 * the variant's product.
 */
export async function deleteVariant(admin: CatalogAdmin, id: string): Promise<{ productId: string }> {
  const { db, audit } = admin;
  const variant = await findVariant(db, id);
  const productId = variant.productId;
  if (variant.deletedAt) return { productId };
  const othersLive = sql`(select count(*) from ${productVariants} as other where other.product_id = ${productId} and other.deleted_at is null and other.id <> ${id}) > 0`;
  const referencedByOrders = sql`exists (select 1 from order_items where order_items.variant_id = ${id})`;
  const gone = sql`not exists (select 1 from ${productVariants} where ${productVariants.id} = ${id})`;
  const now = new Date().toISOString();
  const [hard, soft] = await db.batch([
    db.delete(productVariants).where(and(eq(productVariants.id, id), sql`not ${referencedByOrders}`, othersLive)),
    db
      .update(productVariants)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(productVariants.id, id), isNull(productVariants.deletedAt), othersLive)),
    db.run(sql`delete from cart_items where variant_id = ${id} and ${gone}`),
    db
      .update(productImages)
      .set({ variantId: null })
      .where(and(eq(productImages.variantId, id), gone)),
    audit.insertWhen(
      {
        action: "variant.deleted",
        actorId: admin.actorId,
        targetType: "variant",
        targetId: id,
        details: { product_id: productId, sku: variant.sku },
      },
      or(
        gone,
        sql`exists (select 1 from ${productVariants} where ${productVariants.id} = ${id} and ${productVariants.deletedAt} = ${now})`,
      ) ?? gone,
    ),
  ]);
  if (hard.rowsAffected === 0 && soft.rowsAffected === 0) {
    // Neither: a concurrent delete got there first (fine), or this is the product's last live variant.
    const [current] = await db
      .select({ deletedAt: productVariants.deletedAt })
      .from(productVariants)
      .where(eq(productVariants.id, id));
    if (current && !current.deletedAt) {
      throw new ApiError(409, "last_variant", "A product keeps at least one variant: delete the product instead.");
    }
  }
  return { productId };
}
