import { createClient } from "@libsql/client";
import { inArray, sql } from "drizzle-orm";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { variantTitle } from "../../src/modules/catalog/variants.ts";
import { isUniqueViolation } from "../../src/platform/db/errors.ts";
import { newId } from "../../src/platform/ids.ts";
import { categories, productCategories, productOptions, products, productVariants } from "../../src/schema.ts";
import { DEMO_CATALOG, DEMO_CATEGORIES, type DemoProduct } from "./demo-catalog.ts";

/**
 * Loads the demo categories (those whose slug is not there yet) and the demo products whose first variant's sku is
 * not there yet, each product in one batch (one transaction); returns how many products were added.
 */
export async function seedDemoCatalog(url: string, authToken?: string, currency = "usd"): Promise<number> {
  const client = createClient({ url, authToken });
  const db = drizzle(client);
  const now = new Date().toISOString();
  try {
    const categoryIds = await seedCategories(db, now);
    const firstSkus = DEMO_CATALOG.map((item) => firstSku(item).toLowerCase());
    const existing = await db
      .select({ sku: sql<string>`lower(${productVariants.sku})` })
      .from(productVariants)
      .where(inArray(sql`lower(${productVariants.sku})`, firstSkus));
    const present = new Set(existing.map((row) => row.sku));
    let added = 0;
    for (const item of DEMO_CATALOG) {
      if (present.has(firstSku(item).toLowerCase())) continue;
      if (await insertProduct(db, item, categoryIds, currency, now)) added += 1;
    }
    return added;
  } finally {
    client.close();
  }
}

function firstSku(item: DemoProduct): string {
  const [first] = item.variants;
  if (!first) throw new Error(`demo product "${item.name}" has no variant`);
  return first.sku;
}

/**
 * The demo categories, parents before children, each left alone when its slug exists (an admin's edits and moves
 * stay); returns the id of each demo slug as the database has it.
 */
async function seedCategories(db: LibSQLDatabase, now: string): Promise<Map<string, string>> {
  const [first, ...rest] = DEMO_CATEGORIES.map((category) => {
    const siblings = DEMO_CATEGORIES.filter((other) => other.parent === category.parent);
    return db
      .insert(categories)
      .values({
        id: newId("cat"),
        slug: category.slug,
        name: category.name,
        // The parent as stored, whether this run made it or an earlier one did.
        parentId:
          category.parent === undefined
            ? null
            : sql`(select ${categories.id} from ${categories} where ${categories.slug} = ${category.parent})`,
        position: siblings.indexOf(category),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: categories.slug });
  });
  if (first) await db.batch([first, ...rest]);
  const rows = await db
    .select({ id: categories.id, slug: categories.slug })
    .from(categories)
    .where(
      inArray(
        categories.slug,
        DEMO_CATEGORIES.map((category) => category.slug),
      ),
    );
  return new Map(rows.map((row) => [row.slug, row.id]));
}

/**
 * One product with its options (before its variants: a trigger checks each variant's values against them), its
 * variants and its categories, in one batch. False when a sku is taken meanwhile (nothing is written then).
 */
async function insertProduct(
  db: LibSQLDatabase,
  item: DemoProduct,
  categoryIds: Map<string, string>,
  currency: string,
  now: string,
): Promise<boolean> {
  const productId = newId("prd");
  const links = item.categories.map((slug) => {
    const categoryId = categoryIds.get(slug);
    if (!categoryId) throw new Error(`demo product "${item.name}": no category "${slug}"`);
    return { productId, categoryId };
  });
  const options = item.options.map((option, position) => ({
    id: newId("opt"),
    productId,
    name: option.name,
    position,
    values: option.values,
  }));
  const variants = item.variants.map((variant, position) => ({
    id: newId("var"),
    productId,
    sku: variant.sku,
    title: variantTitle(variant.optionValues),
    optionValues: variant.optionValues,
    position,
    priceAmount: variant.priceAmount,
    compareAtAmount: variant.compareAtAmount ?? null,
    weightGrams: variant.weightGrams ?? null,
    initialStock: variant.initialStock,
    // What the catalog shows until the variant's inventory object first runs and mirrors itself.
    stockAvailable: variant.initialStock,
    createdAt: now,
    updatedAt: now,
  }));
  try {
    await db.batch([
      db.insert(products).values({
        id: productId,
        name: item.name,
        description: item.description,
        currency,
        createdAt: now,
        updatedAt: now,
      }),
      ...(options.length > 0 ? [db.insert(productOptions).values(options)] : []),
      db.insert(productVariants).values(variants),
      ...(links.length > 0 ? [db.insert(productCategories).values(links)] : []),
    ]);
    return true;
  } catch (error) {
    // One of its skus is taken (by a seed running alongside, or by an admin's product): it is left out, whole.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** True when the database holds no products at all (a fresh development database). */
export async function catalogIsEmpty(url: string, authToken?: string): Promise<boolean> {
  const client = createClient({ url, authToken });
  try {
    const { rows } = await client.execute("SELECT count(*) AS n FROM products");
    return Number(rows[0]?.n ?? 0) === 0;
  } finally {
    client.close();
  }
}
