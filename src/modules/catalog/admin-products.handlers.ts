import { and, eq, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import { isUniqueViolation } from "../../platform/db/errors";
import { containsText } from "../../platform/db/search";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import { newId } from "../../platform/ids";
import type { Logger } from "../../platform/logger";
import type {
  AdminGetProductRoute,
  AdminListProductsRoute,
  CreateProductRoute,
  DeleteProductRoute,
  RestoreProductRoute,
  UpdateProductRoute,
} from "./admin-products.routes";
import { forgetCachedProduct } from "./edge-cache";
import { toAdminProduct } from "./schemas";
import { type ProductRow, products } from "./tables";

const NEWEST_FIRST = newestFirst(products.createdAt, products.id);

const skuTaken = () => new ApiError(409, "sku_conflict", "Another product already has this sku.");
const notFound = () => new ApiError(404, "not_found", "No such product.");

const STATUS_FILTERS: Record<string, SQL | undefined> = {
  all: undefined,
  active: and(eq(products.isActive, true), isNull(products.deletedAt)),
  inactive: and(eq(products.isActive, false), isNull(products.deletedAt)),
  deleted: isNotNull(products.deletedAt),
};

async function findProduct(c: Parameters<AppRouteHandler<AdminGetProductRoute>>[0], id: string): Promise<ProductRow> {
  const [product] = await c.var.db.select().from(products).where(eq(products.id, id)).limit(1);
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

export const createProduct: AppRouteHandler<CreateProductRoute> = async (c) => {
  const body = c.req.valid("json");
  const { db, audit, auth, config } = c.var;
  const now = new Date().toISOString();
  const id = newId("prd");
  let created: ProductRow | undefined;
  try {
    const [rows] = await db.batch([
      db
        .insert(products)
        .values({
          id,
          sku: body.sku,
          name: body.name,
          description: body.description,
          priceAmount: body.price_amount,
          currency: config.storeCurrency,
          category: body.category ?? null,
          imageUrl: body.image_url ?? null,
          isActive: body.is_active,
          initialStock: body.initial_stock,
          // Until its inventory object first runs, the product has exactly its initial stock available.
          stockAvailable: body.initial_stock,
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
      audit.insert({
        action: "product.created",
        actorId: auth.user.id,
        targetType: "product",
        targetId: id,
        details: { sku: body.sku, price_amount: body.price_amount, initial_stock: body.initial_stock },
      }),
    ]);
    created = rows[0];
  } catch (error) {
    if (isUniqueViolation(error)) throw skuTaken();
    throw error;
  }
  if (!created) throw new Error("product insert returned no row");
  // The product's inventory starts from initial_stock on first touch; touch it now so the catalog shows it at once.
  const level = await c.var.stock.of(id).syncMirror();
  await forgetAtEdge(c, id);
  c.header("Location", `/api/admin/products/${id}`);
  return c.json(toAdminProduct({ ...created, stockAvailable: level.available, stockVersion: level.version }), 201);
};

export const listProducts: AppRouteHandler<AdminListProductsRoute> = async (c) => {
  const { limit, cursor, status, q } = c.req.valid("query");
  const conditions: (SQL | undefined)[] = [STATUS_FILTERS[status]];
  if (q) conditions.push(or(containsText(products.name, q), containsText(products.sku, q)));
  conditions.push(NEWEST_FIRST.after(cursor));
  const rows = await c.var.db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(limit + 1);
  const { page, nextCursor } = paginate(rows, limit, (product) => [product.createdAt, product.id]);
  return c.json({ data: page.map(toAdminProduct), next_cursor: nextCursor }, 200);
};

export const getProduct: AppRouteHandler<AdminGetProductRoute> = async (c) => {
  return c.json(toAdminProduct(await findProduct(c, c.req.valid("param").id)), 200);
};

export const updateProduct: AppRouteHandler<UpdateProductRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { db, audit, auth } = c.var;
  const before = await findProduct(c, id);
  const changes = {
    ...(body.sku !== undefined ? { sku: body.sku } : {}),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.price_amount !== undefined ? { priceAmount: body.price_amount } : {}),
    ...(body.category !== undefined ? { category: body.category } : {}),
    ...(body.image_url !== undefined ? { imageUrl: body.image_url } : {}),
    ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
  };
  try {
    const [rows] = await db.batch([
      db
        .update(products)
        .set({ ...changes, updatedAt: new Date().toISOString() })
        .where(eq(products.id, id))
        .returning(),
      audit.insert({
        action: "product.updated",
        actorId: auth.user.id,
        targetType: "product",
        targetId: id,
        details: { changes: describeChanges(toAdminProduct(before), body) },
      }),
    ]);
    const updated = rows[0];
    if (!updated) throw notFound();
    await forgetAtEdge(c, id);
    return c.json(toAdminProduct(updated), 200);
  } catch (error) {
    if (isUniqueViolation(error)) throw skuTaken();
    throw error;
  }
};

export const deleteProduct: AppRouteHandler<DeleteProductRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { db, audit, auth } = c.var;
  const product = await findProduct(c, id);
  if (!product.deletedAt) {
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
  await findProduct(c, id);
  const [rows] = await db.batch([
    db
      .update(products)
      .set({ deletedAt: null, updatedAt: new Date().toISOString() })
      .where(eq(products.id, id))
      .returning(),
    audit.insert({ action: "product.restored", actorId: auth.user.id, targetType: "product", targetId: id }),
  ]);
  const restored = rows[0];
  if (!restored) throw notFound();
  await forgetAtEdge(c, id);
  return c.json(toAdminProduct(restored), 200);
};
