/** What the orders module offers the rest of the app. */

export { expireOverdueOrders } from "./expiry";
export { type OrderEmailEvent, type OrderEmailServices, sendOrderEmail } from "./order-emails";
export { releaseOrder } from "./release";
export { canTransition, invalidTransition, moveStatements, REFUNDABLE_STATUSES, transitionOrder } from "./status";
export type { OrderStatus } from "./tables";
export { ORDER_STATUSES, orderItems, orders } from "./tables";
export { orderStock, shopperOrderQuery } from "./views";
