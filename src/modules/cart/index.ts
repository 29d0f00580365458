/** What the cart module offers the rest of the app. */
export { cartLines, isPurchasable } from "./cart";
export { cartItems } from "./tables";
