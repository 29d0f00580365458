/** What the cart module offers the rest of the app. */
export { cartLines, isPurchasable } from "./cart";
export type { CartOwner } from "./owner";
export { priceCart, pricingQueries, selectionOfCart, toPricingContext } from "./pricing";
export { cartItems, carts } from "./tables";
