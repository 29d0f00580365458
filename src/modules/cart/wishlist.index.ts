import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./wishlist.handlers";
import * as routes from "./wishlist.routes";

/** Behind `requireAuth`, mounted on /api/wishlist and /api/wishlist/* in the app factory. */
export const wishlistRouter = createRouter()
  .openapi(routes.listWishlist, handlers.listWishlist)
  .openapi(routes.addToWishlist, handlers.addToWishlist)
  .openapi(routes.removeFromWishlist, handlers.removeFromWishlist);
