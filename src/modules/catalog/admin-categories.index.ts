import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-categories.handlers";
import * as routes from "./admin-categories.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminCategoriesRouter = createRouter()
  .openapi(routes.listCategories, handlers.listCategories)
  .openapi(routes.getCategory, handlers.getCategory)
  .openapi(routes.createCategory, handlers.createCategory)
  .openapi(routes.updateCategory, handlers.updateCategory)
  .openapi(routes.deleteCategory, handlers.deleteCategory);
