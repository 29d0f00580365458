import type { AppRouteHandler } from "../../platform/http/types";
import { categoryTree } from "./categories";
import type { ListCategoriesRoute } from "./categories.routes";
import { toCategory } from "./schemas";

export const listCategories: AppRouteHandler<ListCategoriesRoute> = async (c) => {
  const rows = await categoryTree(c.var.db);
  return c.json({ data: rows.map(({ category, productCount }) => toCategory(category, productCount)) }, 200);
};
