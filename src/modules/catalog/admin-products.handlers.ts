import { and, asc, eq, exists, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { isRaisedBy, isUniqueViolation } from "../../platform/db/errors";
import { containsText } from "../../platform/db/search";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { newId } from "../../platform/ids";
import type { Logger } from "../../platform/logger";
import type {
  AddVariantRoute,
  AdminGetProductRoute,
  AdminListProductsRoute,
  CreateProductRoute,
  DeleteProductRoute,
  DeleteVariantRoute,
  ReplaceImagesRoute,
  ReplaceOptionsRoute,
  RestoreProductRoute,
  UpdateProductRoute,
  UpdateVariantRoute,
} from "./admin-products.routes";
import { forgetCachedProduct } from "./edge-cache";
import { loadAdminProduct, productPartQueries, toAdminProduct, toAdminVariant, toParts } from "./product-views";
import type { AdminProduct } from "./schemas";
import { OUTER_PRODUCT_ID } from "./search";
import { productCategories, productImages, productOptions, products, productVariants, type VariantRow } from "./tables";
import { combinationOf, refusedOptionChange, variantTitle } from "./variants";

const NEWEST_FIRST = newestFirst(products.createdAt, products.id);

const skuTaken = () => new ApiError(409, "sku_conflict", "Another variant already has this sku.");
const notFound = () => new ApiError(404, "not_found", "No such product.");
const variantNotFound = () => new ApiError(404, "not_found", "No such variant.");

function invalidField(path: string, message: string): ApiError {
  return new ApiError(422, "validation_error", "The request is not valid.", { errors: [{ path, message }] });
}

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

async function refusedAsProblem<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw catalogRefusal(error) ?? error;
  }
}

const STATUS_FILTERS: Record<string, SQL | undefined> = {
  all: undefined,
  active: and(eq(products.isActive, true), isNull(products.deletedAt)),
  inactive: and(eq(products.isActive, false), isNull(products.deletedAt)),
  deleted: isNotNull(products.deletedAt),
};

async function findProduct(db: Parameters<typeof loadAdminProduct>[0], id: string): Promise<AdminProduct> {
  const product = await loadAdminProduct(db, id);
  if (!product) throw notFound();
  return product;
}

/**
 * What shoppers see of the product changed: this data center's edge cache forgets it (others within the bound).
 * The change is made by then, so a cache that fails here is logged, not turned into a failed request.
 */
async function forgetAtEdge(c: { req: { url: string }; var: { logger: Logger } }, productId: string): Promise<void> {
  try {
    await forgetCachedProduct(new URL(c.req.url).origin, productId);
  } catch (error) {
    c.var.logger.warn("edge_cache_forget_failed", { error: error instanceof Error ? error.name : String(error) });
  }
}

/** `{field: {from, to}}` for each field the request changes. */
function describeChanges(before: Record<string, unknown>, body: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(body).map(([field, value]) => [field, { from: before[field] ?? null, to: value ?? null }]),
  );
}

/** A statement that does nothing, where a batch has nothing to write: it keeps the results' positions fixed. */
function nothing(db: Parameters<typeof loadAdminProduct>[0]) {
  return db.select({ id: products.id }).from(products).limit(0);
}

function categoryRows(productId: string, categoryIds: string[]) {
  return [...new Set(categoryIds)].map((categoryId) => ({ productId, categoryId }));
}

export const createProduct: AppRouteHandler<CreateProductRoute> = async (c) => {
  const body = c.req.valid("json");
  const { db, audit, auth, config, stock } = c.var;
  const now = new Date().toISOString();
  const id = newId("prd");
  const variants = body.variants.map((variant, position) => {
    const combination = combinationOf(body.options, variant.options);
    // The schema has checked every combination; this only narrows the type.
    if (!combination.ok) throw invalidField(`body.variants.${position}.options`, combination.message);
    return {
      id: newId("var"),
      productId: id,
      sku: variant.sku,
      title: variantTitle(combination.values),
      optionValues: combination.values,
      position,
      priceAmount: variant.price_amount,
      compareAtAmount: variant.compare_at_amount ?? null,
      weightGrams: variant.weight_grams ?? null,
      isActive: variant.is_active,
      initialStock: variant.initial_stock,
      // Until its inventory object first runs, the variant has exactly its initial stock available.
      stockAvailable: variant.initial_stock,
      createdAt: now,
      updatedAt: now,
    };
  });
  const variantIdBySku = new Map(variants.map((variant) => [variant.sku.toLowerCase(), variant.id]));
  const images = body.images.map((image, position) => ({
    id: newId("img"),
    productId: id,
    variantId: image.variant_sku === undefined ? null : (variantIdBySku.get(image.variant_sku.toLowerCase()) ?? null),
    url: image.url,
    alt: image.alt,
    position,
  }));
  const [, , , , , , [created], ...parts] = await refusedAsProblem(
    db.batch([
      db.insert(products).values({
        id,
        name: body.name,
        description: body.description,
        currency: config.storeCurrency,
        isActive: body.is_active,
        createdAt: now,
        updatedAt: now,
      }),
      body.options.length > 0
        ? db.insert(productOptions).values(
            body.options.map((option, position) => ({
              id: newId("opt"),
              productId: id,
              name: option.name,
              position,
              values: option.values,
            })),
          )
        : nothing(db),
      db.insert(productVariants).values(variants),
      body.images.length > 0 ? db.insert(productImages).values(images) : nothing(db),
      body.category_ids.length > 0
        ? db.insert(productCategories).values(categoryRows(id, body.category_ids))
        : nothing(db),
      audit.insert({
        action: "product.created",
        actorId: auth.user.id,
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
      db.select().from(products).where(eq(products.id, id)).limit(1),
      ...productPartQueries(db, [id]),
    ]),
  );
  if (!created) throw new Error("product insert returned no row");
  // Each variant's inventory starts from initial_stock on first touch; touch them now so the catalog shows it at once.
  const levels = await Promise.all(variants.map((variant) => stock.of(variant.id).syncMirror()));
  const mirrored = toParts(parts);
  mirrored.variants = mirrored.variants.map((variant, index) => ({
    ...variant,
    stockAvailable: levels[index]?.available ?? variant.stockAvailable,
    stockVersion: levels[index]?.version ?? variant.stockVersion,
  }));
  await forgetAtEdge(c, id);
  c.header("Location", `/api/admin/products/${id}`);
  return c.json(toAdminProduct(created, mirrored), 201);
};

export const listProducts: AppRouteHandler<AdminListProductsRoute> = async (c) => {
  const { limit, cursor, status, q } = c.req.valid("query");
  const { db } = c.var;
  const conditions: (SQL | undefined)[] = [STATUS_FILTERS[status]];
  if (q) {
    const skuMatches = db
      .select({ id: productVariants.id })
      .from(productVariants)
      .where(and(sql`${productVariants.productId} = ${OUTER_PRODUCT_ID}`, containsText(productVariants.sku, q)));
    conditions.push(or(containsText(products.name, q), exists(skuMatches)));
  }
  conditions.push(NEWEST_FIRST.after(cursor));
  const rows = await db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(limit + 1);
  const { page, nextCursor } = paginate(rows, limit, (product) => [product.createdAt, product.id]);
  const parts =
    page.length > 0
      ? toParts(
          await db.batch(
            productPartQueries(
              db,
              page.map((product) => product.id),
            ),
          ),
        )
      : undefined;
  return c.json(
    {
      data: parts ? page.map((product) => toAdminProduct(product, parts)) : [],
      next_cursor: nextCursor,
    },
    200,
  );
};

export const getProduct: AppRouteHandler<AdminGetProductRoute> = async (c) => {
  return c.json(await findProduct(c.var.db, c.req.valid("param").id), 200);
};

export const updateProduct: AppRouteHandler<UpdateProductRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { db, audit, auth } = c.var;
  const before = await findProduct(db, id);
  const changes = {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
  };
  const categoryIds = body.category_ids;
  const [, , , , [updated], ...parts] = await refusedAsProblem(
    db.batch([
      db
        .update(products)
        .set({ ...changes, updatedAt: new Date().toISOString() })
        .where(eq(products.id, id)),
      categoryIds ? db.delete(productCategories).where(eq(productCategories.productId, id)) : nothing(db),
      categoryIds && categoryIds.length > 0
        ? db.insert(productCategories).values(categoryRows(id, categoryIds))
        : nothing(db),
      audit.insert({
        action: "product.updated",
        actorId: auth.user.id,
        targetType: "product",
        targetId: id,
        details: {
          changes: describeChanges({ ...before, category_ids: before.categories.map((category) => category.id) }, body),
        },
      }),
      db.select().from(products).where(eq(products.id, id)).limit(1),
      ...productPartQueries(db, [id]),
    ]),
  );
  if (!updated) throw notFound();
  await forgetAtEdge(c, id);
  return c.json(toAdminProduct(updated, toParts(parts)), 200);
};

export const replaceOptions: AppRouteHandler<ReplaceOptionsRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { options } = c.req.valid("json");
  const { db, audit, auth } = c.var;
  const before = await findProduct(db, id);
  const live = before.variants.filter((variant) => variant.deleted_at === null);
  const used = live.map((variant) => before.options.map((option) => variant.options[option.name] ?? ""));
  const refused = refusedOptionChange(before.options, options, used);
  if (refused) throw new ApiError(409, refused.code, refused.message);
  if (options.length === 0) return c.json(before, 200);
  // Changed in place, by position, in one statement: the trigger on product_options re-checks inside the write that
  // every live variant's value is still there (a variant added meanwhile included).
  const byPosition = (fieldOf: (option: (typeof options)[number]) => string) =>
    sql`case ${productOptions.position} ${sql.join(
      options.map((option, position) => sql`when ${position} then ${fieldOf(option)}`),
      sql` `,
    )} end`;
  const [, , , , [updated], ...parts] = await refusedAsProblem(
    db.batch([
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
      audit.insert({
        action: "product.updated",
        actorId: auth.user.id,
        targetType: "product",
        targetId: id,
        details: { changes: { options: { from: before.options, to: options } } },
      }),
      db.select().from(products).where(eq(products.id, id)).limit(1),
      ...productPartQueries(db, [id]),
    ]),
  );
  if (!updated) throw notFound();
  await forgetAtEdge(c, id);
  return c.json(toAdminProduct(updated, toParts(parts)), 200);
};

export const replaceImages: AppRouteHandler<ReplaceImagesRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { images } = c.req.valid("json");
  const { db, audit, auth } = c.var;
  const before = await findProduct(db, id);
  const variantIds = new Set(before.variants.map((variant) => variant.id));
  for (const [index, image] of images.entries()) {
    if (image.variant_id && !variantIds.has(image.variant_id)) {
      throw invalidField(`body.images.${index}.variant_id`, "No such variant of this product");
    }
  }
  const [, , , , [updated], ...parts] = await db.batch([
    db.delete(productImages).where(eq(productImages.productId, id)),
    images.length > 0
      ? db.insert(productImages).values(
          images.map((image, position) => ({
            id: newId("img"),
            productId: id,
            variantId: image.variant_id ?? null,
            url: image.url,
            alt: image.alt,
            position,
          })),
        )
      : nothing(db),
    db.update(products).set({ updatedAt: new Date().toISOString() }).where(eq(products.id, id)),
    audit.insert({
      action: "product.updated",
      actorId: auth.user.id,
      targetType: "product",
      targetId: id,
      details: { changes: { images: { from: before.images.length, to: images.length } } },
    }),
    db.select().from(products).where(eq(products.id, id)).limit(1),
    ...productPartQueries(db, [id]),
  ]);
  if (!updated) throw notFound();
  await forgetAtEdge(c, id);
  return c.json(toAdminProduct(updated, toParts(parts)), 200);
};

export const deleteProduct: AppRouteHandler<DeleteProductRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, audit, auth } = c.var;
  const product = await findProduct(db, id);
  if (!product.deleted_at) {
    const now = new Date().toISOString();
    await db.batch([
      db.update(products).set({ deletedAt: now, updatedAt: now }).where(eq(products.id, id)),
      audit.insert({ action: "product.deleted", actorId: auth.user.id, targetType: "product", targetId: id }),
    ]);
    await forgetAtEdge(c, id);
  }
  return c.body(null, 204);
};

export const restoreProduct: AppRouteHandler<RestoreProductRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, audit, auth } = c.var;
  const [, , [restored], ...parts] = await db.batch([
    db.update(products).set({ deletedAt: null, updatedAt: new Date().toISOString() }).where(eq(products.id, id)),
    audit.insertWhen(
      { action: "product.restored", actorId: auth.user.id, targetType: "product", targetId: id },
      sql`changes() > 0`,
    ),
    db.select().from(products).where(eq(products.id, id)).limit(1),
    ...productPartQueries(db, [id]),
  ]);
  if (!restored) throw notFound();
  await forgetAtEdge(c, id);
  return c.json(toAdminProduct(restored, toParts(parts)), 200);
};

async function findVariant(db: Parameters<typeof loadAdminProduct>[0], id: string): Promise<VariantRow> {
  const [variant] = await db.select().from(productVariants).where(eq(productVariants.id, id)).limit(1);
  if (!variant) throw variantNotFound();
  return variant;
}

export const addVariant: AppRouteHandler<AddVariantRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { db, audit, auth, stock } = c.var;
  const product = await findProduct(db, id);
  const combination = combinationOf(product.options, body.options);
  if (!combination.ok) throw invalidField("body.options", combination.message);
  const now = new Date().toISOString();
  const variantId = newId("var");
  const [, , [created], options] = await refusedAsProblem(
    db.batch([
      db.insert(productVariants).values({
        id: variantId,
        productId: id,
        sku: body.sku,
        title: variantTitle(combination.values),
        optionValues: combination.values,
        position: product.variants.length,
        priceAmount: body.price_amount,
        compareAtAmount: body.compare_at_amount ?? null,
        weightGrams: body.weight_grams ?? null,
        isActive: body.is_active,
        initialStock: body.initial_stock,
        stockAvailable: body.initial_stock,
        createdAt: now,
        updatedAt: now,
      }),
      audit.insert({
        action: "variant.created",
        actorId: auth.user.id,
        targetType: "variant",
        targetId: variantId,
        details: { product_id: id, sku: body.sku, price_amount: body.price_amount, initial_stock: body.initial_stock },
      }),
      db.select().from(productVariants).where(eq(productVariants.id, variantId)).limit(1),
      db.select().from(productOptions).where(eq(productOptions.productId, id)).orderBy(asc(productOptions.position)),
    ]),
  );
  if (!created) throw new Error("variant insert returned no row");
  const level = await stock.of(variantId).syncMirror();
  await forgetAtEdge(c, id);
  c.header("Location", `/api/admin/variants/${variantId}`);
  return c.json(
    toAdminVariant({ ...created, stockAvailable: level.available, stockVersion: level.version }, options),
    201,
  );
};

export const updateVariant: AppRouteHandler<UpdateVariantRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { db, audit, auth } = c.var;
  const before = await findVariant(db, id);
  const changes = {
    ...(body.sku !== undefined ? { sku: body.sku } : {}),
    ...(body.price_amount !== undefined ? { priceAmount: body.price_amount } : {}),
    ...(body.compare_at_amount !== undefined ? { compareAtAmount: body.compare_at_amount } : {}),
    ...(body.weight_grams !== undefined ? { weightGrams: body.weight_grams } : {}),
    ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
  };
  const [, , [updated], options] = await refusedAsProblem(
    db.batch([
      db
        .update(productVariants)
        .set({ ...changes, updatedAt: new Date().toISOString() })
        .where(eq(productVariants.id, id)),
      audit.insert({
        action: "variant.updated",
        actorId: auth.user.id,
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
            body,
          ),
        },
      }),
      db.select().from(productVariants).where(eq(productVariants.id, id)).limit(1),
      db
        .select()
        .from(productOptions)
        .where(eq(productOptions.productId, before.productId))
        .orderBy(asc(productOptions.position)),
    ]),
  );
  if (!updated) throw variantNotFound();
  await forgetAtEdge(c, before.productId);
  return c.json(toAdminVariant(updated, options), 200);
};

/**
 * Deletes a variant: for good when no order refers to it (its cart lines go with it), else soft (orders keep
 * their lines; cart lines show it unavailable). Never the product's last live variant. One batch, so the count of
 * live variants is the one the write sees: two concurrent deletes cannot both remove the last two.
 */
export const deleteVariant: AppRouteHandler<DeleteVariantRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, audit, auth } = c.var;
  const variant = await findVariant(db, id);
  if (variant.deletedAt) return c.body(null, 204);
  const othersLive = sql`(select count(*) from ${productVariants} as other where other.product_id = ${variant.productId} and other.deleted_at is null and other.id <> ${id}) > 0`;
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
        actorId: auth.user.id,
        targetType: "variant",
        targetId: id,
        details: { product_id: variant.productId, sku: variant.sku },
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
    if (!current || current.deletedAt) return c.body(null, 204);
    throw new ApiError(409, "last_variant", "A product keeps at least one variant: delete the product instead.");
  }
  await forgetAtEdge(c, variant.productId);
  return c.body(null, 204);
};
