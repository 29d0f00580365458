/** What the cart module offers the rest of the app. */
export type { CartAccess } from "./access";
export { cartAccess } from "./access";
export { cartLines, isPurchasable } from "./cart";
export { CART_TOKEN_HEADER } from "./cart-token";
export { deleteExpiredGuestCarts } from "./expiry";
export { mergeGuestCartOnSignIn } from "./merge";
export type { CartOwner } from "./owner";
export { ownerCartId } from "./owner";
export { priceCart, pricingQueries, selectionOfCart, toPricingContext } from "./pricing";
export { cartItems, carts } from "./tables";
