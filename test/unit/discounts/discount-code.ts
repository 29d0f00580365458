import type { DiscountCodeRow } from "../../../src/modules/discounts/apply";

/**
 * A usable code as a row: 10 % off the whole order, no window, no limits, no minimum. Tests change only what
 * they are about.
 */
export function discountCode(overrides: Partial<DiscountCodeRow> = {}): DiscountCodeRow {
  return {
    id: "dc_1",
    code: "SAVE10",
    kind: "percentage",
    value: 10,
    appliesTo: "order",
    targetIds: [],
    minimumSubtotalAmount: 0,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    isActive: true,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    deletedAt: null,
    ...overrides,
  };
}

/** A cart at noon on 1 June 2025, 5000 subtotal, all of it eligible, the code not used yet. */
export function cartAt(
  overrides: Partial<{
    now: string;
    subtotalAmount: number;
    eligibleAmount: number;
    total: number;
    byCustomer: number;
  }> = {},
) {
  return {
    now: overrides.now ?? NOON,
    subtotalAmount: overrides.subtotalAmount ?? 5000,
    eligibleAmount: overrides.eligibleAmount ?? overrides.subtotalAmount ?? 5000,
    uses: { total: overrides.total ?? 0, byCustomer: overrides.byCustomer ?? 0 },
  };
}

export const NOON = "2025-06-01T12:00:00.000Z";
