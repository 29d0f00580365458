import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./admin-products.handlers";
import * as routes from "./admin-products.routes";

/** Behind the admin guard mounted on /api/admin/*. */
export const adminProductsRouter = createRouter()
  .openapi(routes.createProduct, handlers.createProduct)
  .openapi(routes.listProducts, handlers.listProducts)
  .openapi(routes.getProduct, handlers.getProduct)
  .openapi(routes.updateProduct, handlers.updateProduct)
  .openapi(routes.deleteProduct, handlers.deleteProduct)
  .openapi(routes.restoreProduct, handlers.restoreProduct)
  .openapi(routes.replaceOptions, handlers.replaceOptions)
  .openapi(routes.replaceImages, handlers.replaceImages)
  .openapi(routes.addVariant, handlers.addVariant)
  .openapi(routes.getVariant, handlers.getVariant)
  .openapi(routes.updateVariant, handlers.updateVariant)
  .openapi(routes.deleteVariant, handlers.deleteVariant);
