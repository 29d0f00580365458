import type { AppRouteHandler, AppVariables } from "../../platform/http/types";
import * as tree from "./admin-categories";
import type {
  AdminListCategoriesRoute,
  CreateCategoryRoute,
  DeleteCategoryRoute,
  GetCategoryRoute,
  UpdateCategoryRoute,
} from "./admin-categories.routes";
import { forgetAfterChange } from "./edge-cache";
import { toAdminCategory } from "./schemas";

/** What the writes need of any of these routes' contexts. */
interface WriteContext {
  req: { url: string };
  var: AppVariables;
}

function writeDeps(c: WriteContext): tree.CategoryWriteDeps {
  return { db: c.var.db, audit: c.var.audit, actorId: c.var.auth.user.id, at: c.var.clock.now().toISOString() };
}

/** The tree shoppers see changed: this data center's edge cache forgets it (others within the bound). */
function forgetAtEdge(c: WriteContext): Promise<void> {
  return forgetAfterChange(c.req, c.var.logger, { categories: true });
}

export const listCategories: AppRouteHandler<AdminListCategoriesRoute> = async (c) => {
  const rows = await tree.adminCategoryTree(c.var.db);
  return c.json({ data: rows.map(({ category, productCount }) => toAdminCategory(category, productCount)) }, 200);
};

export const getCategory: AppRouteHandler<GetCategoryRoute> = async (c) => {
  const { category, productCount } = await tree.findCategory(c.var.db, c.req.valid("param").id);
  return c.json(toAdminCategory(category, productCount), 200);
};

export const createCategory: AppRouteHandler<CreateCategoryRoute> = async (c) => {
  const body = c.req.valid("json");
  const { category, productCount } = await tree.createCategory(writeDeps(c), {
    slug: body.slug,
    name: body.name,
    parentId: body.parent_id,
    position: body.position,
  });
  await forgetAtEdge(c);
  c.header("Location", `/api/admin/categories/${category.id}`);
  return c.json(toAdminCategory(category, productCount), 201);
};

export const updateCategory: AppRouteHandler<UpdateCategoryRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { category, productCount } = await tree.updateCategory(writeDeps(c), id, {
    ...(body.slug !== undefined ? { slug: body.slug } : {}),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.parent_id !== undefined ? { parentId: body.parent_id } : {}),
    ...(body.position !== undefined ? { position: body.position } : {}),
  });
  await forgetAtEdge(c);
  return c.json(toAdminCategory(category, productCount), 200);
};

export const deleteCategory: AppRouteHandler<DeleteCategoryRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const { move_products_to } = c.req.valid("query");
  await tree.deleteCategory(writeDeps(c), id, move_products_to);
  await forgetAtEdge(c);
  return c.body(null, 204);
};
