/**
 * Changes to the category tree. The tree's rules (depth at most 5, no cycles, a parent that exists, nothing deleted
 * from under a child or a product) are the triggers of migration 0009, checked inside the writing statement: the
 * reads here only choose which problem to answer, so a concurrent change can make a write fail, never break a rule.
 */
import { eq, sql } from "drizzle-orm";
import { type AuditLog, describeChanges } from "../../platform/audit/audit-log";
import type { Database } from "../../platform/db/client";
import { isRaisedBy, isUniqueViolation, translateRefusal } from "../../platform/db/errors";
import { ApiError, invalidField } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import { type CategoryWithCount, depthFirst } from "./categories";
import { withinSubtree } from "./search";
import { type CategoryRow, categories, productCategories } from "./tables";

export interface CategoryWriteDeps {
  db: Database;
  audit: AuditLog;
  actorId: string;
  /** When the change is made (ISO 8601). */
  at: string;
}

export interface NewCategory {
  slug: string;
  name: string;
  parentId: string | null;
  position: number;
}

export type CategoryChanges = Partial<NewCategory>;

const notFound = () => new ApiError(404, "not_found", "No such category.");

const hasChildren = () =>
  new ApiError(409, "category_has_children", "Categories are below this one: move or delete them first.");

function notEmpty(productCount: number): ApiError {
  return new ApiError(
    409,
    "category_not_empty",
    "Products are in this category: move them with move_products_to, or take them out first.",
    { extensions: { product_count: productCount } },
  );
}

/** The triggers' and the slug index's refusals as the problems they mean; `undefined` for anything else. */
function categoryRefusal(error: unknown): ApiError | undefined {
  if (isUniqueViolation(error)) return new ApiError(409, "slug_conflict", "Another category has this slug.");
  if (isRaisedBy(error, "category_parent_missing")) return invalidField("body.parent_id", "No such category");
  if (isRaisedBy(error, "category_cycle")) {
    return new ApiError(409, "category_cycle", "A category cannot be moved under itself or a category below it.");
  }
  if (isRaisedBy(error, "category_too_deep")) {
    return new ApiError(
      409,
      "category_too_deep",
      "Categories nest at most 5 deep, counting everything below this one.",
    );
  }
  if (isRaisedBy(error, "category_has_children")) return hasChildren();
  // The target of move_products_to was deleted after it was checked.
  if (isRaisedBy(error, "category_missing")) return invalidField("query.move_products_to", "No such category");
  return undefined;
}

function refusedAsProblem<T>(write: Promise<T>): Promise<T> {
  return translateRefusal(write, categoryRefusal);
}

/**
 * Products in the category or below it, whatever their status: the admin's view counts what a delete would have
 * to move, where the shoppers' tree (`categoryTree`) counts only what is for sale. The subquery is a fragment of its
 * own because drizzle writes the bare columns of a single-table select's fields unqualified, and a bare `path`
 * inside it would be the member's, not the outer category's.
 */
const everyProductBelow = sql<number>`(${sql`select count(distinct ${productCategories.productId}) from ${productCategories} join categories as member on member.id = ${productCategories.categoryId} where ${withinSubtree(sql`member.path`, sql`${categories.path}`)}`})`;

function withCounts(db: Database) {
  return db.select({ category: categories, productCount: everyProductBelow }).from(categories);
}

/** Every category, parents before children, siblings by position then name. */
export async function adminCategoryTree(db: Database): Promise<CategoryWithCount[]> {
  return depthFirst(await withCounts(db));
}

export async function findCategory(db: Database, id: string): Promise<CategoryWithCount> {
  const [found] = await withCounts(db).where(eq(categories.id, id)).limit(1);
  if (!found) throw notFound();
  return found;
}

/** The fields of the API, as the audit trail records them. */
function asFields(category: Partial<Pick<CategoryRow, "slug" | "name" | "parentId" | "position">>) {
  return {
    ...(category.slug !== undefined ? { slug: category.slug } : {}),
    ...(category.name !== undefined ? { name: category.name } : {}),
    ...(category.parentId !== undefined ? { parent_id: category.parentId } : {}),
    ...(category.position !== undefined ? { position: category.position } : {}),
  };
}

export async function createCategory(deps: CategoryWriteDeps, input: NewCategory): Promise<CategoryWithCount> {
  const { db, audit, actorId, at } = deps;
  const id = newId("cat");
  const [, , [created]] = await refusedAsProblem(
    db.batch([
      db.insert(categories).values({ id, ...input, createdAt: at, updatedAt: at }),
      audit.insert({
        action: "category.created",
        actorId,
        targetType: "category",
        targetId: id,
        details: asFields(input),
      }),
      db.select().from(categories).where(eq(categories.id, id)).limit(1),
    ]),
  );
  if (!created) throw new Error("category insert returned no row");
  return { category: created, productCount: 0 };
}

/** Renames, reorders or moves a category; a move takes everything below it along (the triggers rewrite their paths). */
export async function updateCategory(
  deps: CategoryWriteDeps,
  id: string,
  changes: CategoryChanges,
): Promise<CategoryWithCount> {
  const { db, audit, actorId, at } = deps;
  const described = describeChanges(asFields((await findCategory(db, id)).category), asFields(changes));
  const [, , [updated]] = await refusedAsProblem(
    db.batch([
      db
        .update(categories)
        .set({ ...changes, updatedAt: at })
        .where(eq(categories.id, id)),
      // Only when the row was there to change: a category deleted meanwhile is a 404, with nothing recorded.
      audit.insertWhen(
        { action: "category.updated", actorId, targetType: "category", targetId: id, details: { changes: described } },
        sql`changes() > 0`,
      ),
      withCounts(db).where(eq(categories.id, id)).limit(1),
    ]),
  );
  if (!updated) throw notFound();
  return updated;
}

/**
 * Deletes a category without children. Its products are either moved to `moveProductsTo` (linked there unless
 * they already are, unlinked here, the category deleted: one transaction) or, without a target, must be none.
 */
export async function deleteCategory(deps: CategoryWriteDeps, id: string, moveProductsTo?: string): Promise<void> {
  const { db, audit, actorId } = deps;
  const count = sql<number>`count(*)`;
  const [[found], [target], [children], [linked]] = await db.batch([
    db.select().from(categories).where(eq(categories.id, id)).limit(1),
    db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.id, moveProductsTo ?? ""))
      .limit(1),
    db.select({ count }).from(categories).where(eq(categories.parentId, id)),
    db.select({ count }).from(productCategories).where(eq(productCategories.categoryId, id)),
  ]);
  if (!found) throw notFound();
  if (moveProductsTo === id) {
    throw invalidField("query.move_products_to", "Must be another category than the one deleted");
  }
  if (moveProductsTo !== undefined && !target) throw invalidField("query.move_products_to", "No such category");
  // Children first: moving the products would not make the delete possible.
  if ((children?.count ?? 0) > 0) throw hasChildren();
  const productCount = linked?.count ?? 0;
  if (productCount > 0 && moveProductsTo === undefined) throw notEmpty(productCount);

  const remove = db.delete(categories).where(eq(categories.id, id));
  const audited = audit.insertWhen(
    {
      action: "category.deleted",
      actorId,
      targetType: "category",
      targetId: id,
      details: { ...asFields(found), ...(moveProductsTo ? { move_products_to: moveProductsTo } : {}) },
    },
    sql`changes() > 0`,
  );
  let removed: { rowsAffected: number } | undefined;
  try {
    [removed] = moveProductsTo
      ? (
          await db.batch([
            db.run(
              sql`insert into ${productCategories} (product_id, category_id) select ${productCategories.productId}, ${moveProductsTo} from ${productCategories} where ${productCategories.categoryId} = ${id} on conflict do nothing`,
            ),
            db.delete(productCategories).where(eq(productCategories.categoryId, id)),
            remove,
            audited,
          ])
        ).slice(2)
      : await db.batch([remove, audited]);
  } catch (error) {
    // A product put in the category after the read: answer with the count as it is now.
    if (isRaisedBy(error, "category_not_empty")) {
      const [now] = await db.select({ count }).from(productCategories).where(eq(productCategories.categoryId, id));
      throw notEmpty(now?.count ?? 0);
    }
    throw categoryRefusal(error) ?? error;
  }
  // Deleted meanwhile by another request.
  if (!removed || removed.rowsAffected === 0) throw notFound();
}
