import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./cart.handlers";
import * as routes from "./cart.routes";

/** /api/carts is public (rate-limited); /api/cart and /api/cart/* are behind `cartAccess()` in the app factory. */
export const cartRouter = createRouter()
  .openapi(routes.createGuestCart, handlers.createGuestCart)
  .openapi(routes.getCart, handlers.getCart)
  .openapi(routes.addItem, handlers.addItem)
  .openapi(routes.updateItem, handlers.updateItem)
  .openapi(routes.removeItem, handlers.removeItem)
  .openapi(routes.clearCart, handlers.clearCart);
