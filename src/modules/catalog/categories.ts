/** The category tree as shoppers see it: every category, depth-first in position order, with product counts. */
import { sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { visibleProducts, withinSubtree } from "./search";
import { type CategoryRow, categories, productCategories, products } from "./tables";

export interface CategoryWithCount {
  category: CategoryRow;
  productCount: number;
}

/**
 * Every category with the number of products for sale in it or below it (a product in two categories of one
 * subtree counts once), ordered so that each category comes after its parent and siblings follow `position`.
 */
export async function categoryTree(db: Database): Promise<CategoryWithCount[]> {
  // Spelled out: in a query over one table drizzle leaves columns unqualified, which the subquery would misread.
  const productCount = sql<number>`(select count(distinct member_of.product_id) from ${productCategories} as member_of join ${categories} as member on member.id = member_of.category_id join ${products} on "products"."id" = member_of.product_id where ${withinSubtree(sql`member.path`, sql`"categories"."path"`)} and ${visibleProducts({})})`;
  const rows = await db.select({ category: categories, productCount }).from(categories);
  return depthFirst(rows);
}

/** Parents before children, siblings by position then name. */
export function depthFirst<T extends { category: CategoryRow }>(rows: T[]): T[] {
  const children = new Map<string | null, T[]>();
  for (const row of rows) {
    const siblings = children.get(row.category.parentId) ?? [];
    siblings.push(row);
    children.set(row.category.parentId, siblings);
  }
  for (const siblings of children.values()) {
    siblings.sort(
      (a, b) => a.category.position - b.category.position || a.category.name.localeCompare(b.category.name),
    );
  }
  const ordered: T[] = [];
  const visit = (parentId: string | null) => {
    for (const row of children.get(parentId) ?? []) {
      ordered.push(row);
      visit(row.category.id);
    }
  };
  visit(null);
  return ordered;
}
