/** What the catalog module offers the rest of the app. */

export {
  isLiveVariant,
  purchasableVariantsQuery,
  type SummaryRow,
  summaryColumns,
  toProductSummary,
  visibleProductQuery,
} from "./product-views";
export { ProductSummarySchema, VariantIdParams } from "./schemas";
export type { ProductRow, VariantRow } from "./tables";
export { categories, productCategories, products, productVariants } from "./tables";
