/** What the cart module offers the rest of the app. */
export { cartLines, isPurchasable } from "./cart";
export type { CartOwner } from "./owner";
export { cartItems, carts } from "./tables";
