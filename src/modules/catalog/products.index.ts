import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./products.handlers";
import * as routes from "./products.routes";

export const productsRouter = createRouter()
  .openapi(routes.listProducts, handlers.listProducts)
  .openapi(routes.getProduct, handlers.getProduct);
