import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./cart.handlers";
import * as routes from "./cart.routes";
import * as pricingHandlers from "./cart-pricing.handlers";
import * as pricingRoutes from "./cart-pricing.routes";

/** /api/carts is public (rate-limited); /api/cart and /api/cart/* are behind `cartAccess()` in the app factory. */
export const cartRouter = createRouter()
  .openapi(routes.createGuestCart, handlers.createGuestCart)
  .openapi(routes.getCart, handlers.getCart)
  .openapi(routes.addItem, handlers.addItem)
  .openapi(routes.updateItem, handlers.updateItem)
  .openapi(routes.removeItem, handlers.removeItem)
  .openapi(routes.clearCart, handlers.clearCart)
  .openapi(pricingRoutes.applyDiscount, pricingHandlers.applyDiscount)
  .openapi(pricingRoutes.removeDiscount, pricingHandlers.removeDiscount)
  .openapi(pricingRoutes.setShipping, pricingHandlers.setShipping)
  .openapi(pricingRoutes.shippingOptions, pricingHandlers.shippingOptions);
