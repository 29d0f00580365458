/** What the catalog module offers the rest of the app. */

export { ProductSchema, toPublicProduct } from "./schemas";
export { findVisibleProduct, visibleProductQuery } from "./search";
export type { ProductRow } from "./tables";
export { products } from "./tables";
