/** What the discounts module offers the rest of the app. */
export type { CodeUses, DiscountCodeRow } from "./apply";
export {
  appliesToLine,
  codeIdByText,
  codeUsesQuery,
  customerKey,
  customerKeySql,
  discountNotFound,
  REDEMPTION_REFUSALS,
  redemptionRefused,
  refusalOf,
  toPricingDiscount,
} from "./apply";
export { DISCOUNT_KINDS, discountCodes, discountRedemptions } from "./tables";
