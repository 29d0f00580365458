import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./categories.handlers";
import * as routes from "./categories.routes";

export const categoriesRouter = createRouter().openapi(routes.listCategories, handlers.listCategories);
