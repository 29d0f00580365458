import { describe, expect, it } from "vitest";
import { appliesToLine, redemptionRefused, refusalOf } from "../../../src/modules/discounts/apply";
import { cartAt, discountCode, NOON } from "./discount-code";

const YESTERDAY = "2025-05-31T12:00:00.000Z";
const TOMORROW = "2025-06-02T12:00:00.000Z";

describe("refusalOf: each reason a code cannot apply", () => {
  it("not started: 409 with the start, until the start instant", () => {
    const refusal = refusalOf(discountCode({ startsAt: TOMORROW }), cartAt());
    expect(refusal).toMatchObject({
      status: 409,
      code: "discount_not_started",
      options: { extensions: { starts_at: TOMORROW } },
    });
    expect(refusalOf(discountCode({ startsAt: "2025-06-01T12:00:00.001Z" }), cartAt())).toMatchObject({
      code: "discount_not_started",
    });
  });

  it("expired: 409 with the end, from the end instant on", () => {
    expect(refusalOf(discountCode({ endsAt: YESTERDAY }), cartAt())).toMatchObject({
      status: 409,
      code: "discount_expired",
      options: { extensions: { ends_at: YESTERDAY } },
    });
    expect(refusalOf(discountCode({ endsAt: NOON }), cartAt())).toMatchObject({ code: "discount_expired" });
  });

  it("used up: 409 once its uses reach the usage limit", () => {
    expect(refusalOf(discountCode({ usageLimit: 5 }), cartAt({ total: 5 }))).toMatchObject({
      status: 409,
      code: "discount_limit_reached",
    });
    expect(refusalOf(discountCode({ usageLimit: 5 }), cartAt({ total: 6 }))).toMatchObject({
      code: "discount_limit_reached",
    });
  });

  it("used up by this customer: 409 once their uses reach the per-customer limit", () => {
    expect(refusalOf(discountCode({ perCustomerLimit: 1 }), cartAt({ total: 1, byCustomer: 1 }))).toMatchObject({
      status: 409,
      code: "discount_customer_limit_reached",
    });
  });

  it("subtotal below the minimum: 422 with both amounts", () => {
    const refusal = refusalOf(discountCode({ minimumSubtotalAmount: 5000 }), cartAt({ subtotalAmount: 4999 }));
    expect(refusal).toMatchObject({
      status: 422,
      code: "discount_minimum_not_met",
      detail: "This code needs a subtotal of at least 5000.",
      options: { extensions: { minimum_subtotal_amount: 5000, subtotal_amount: 4999 } },
    });
  });

  it("nothing in the cart it applies to: 422, free-shipping codes included", () => {
    expect(refusalOf(discountCode(), cartAt({ eligibleAmount: 0 }))).toMatchObject({
      status: 422,
      code: "discount_not_applicable",
      detail: "This code applies to nothing in the cart.",
    });
    const freeShipping = discountCode({ kind: "free_shipping", value: 0, appliesTo: "products", targetIds: ["p"] });
    expect(refusalOf(freeShipping, cartAt({ eligibleAmount: 0 }))).toMatchObject({ code: "discount_not_applicable" });
  });
});

describe("refusalOf: the first reason wins, in a fixed order", () => {
  // A code that fails every check: each step below removes the reason refused before, and the next one shows.
  const everything = {
    startsAt: TOMORROW,
    endsAt: YESTERDAY,
    usageLimit: 1,
    perCustomerLimit: 1,
    minimumSubtotalAmount: 9000,
  };
  const emptyCart = cartAt({ subtotalAmount: 100, eligibleAmount: 0, total: 1, byCustomer: 1 });

  it("not started, expired, usage limit, customer limit, minimum, nothing eligible", () => {
    const steps = [
      discountCode(everything),
      discountCode({ ...everything, startsAt: null }),
      discountCode({ ...everything, startsAt: null, endsAt: null }),
      discountCode({ ...everything, startsAt: null, endsAt: null, usageLimit: null }),
      discountCode({ ...everything, startsAt: null, endsAt: null, usageLimit: null, perCustomerLimit: null }),
      discountCode({ startsAt: null, endsAt: null, usageLimit: null, perCustomerLimit: null }),
    ];
    expect(steps.map((code) => refusalOf(code, emptyCart)?.code)).toEqual([
      "discount_not_started",
      "discount_expired",
      "discount_limit_reached",
      "discount_customer_limit_reached",
      "discount_minimum_not_met",
      "discount_not_applicable",
    ]);
  });
});

describe("appliesToLine: lines a code does not apply to", () => {
  const shirt = { productId: "prod_shirt", categoryPaths: ["/cat_clothes/cat_shirts/"] };

  it("a products code: a product not among its targets", () => {
    expect(appliesToLine(discountCode({ appliesTo: "products", targetIds: ["prod_hat"] }), shirt)).toBe(false);
    expect(appliesToLine(discountCode({ appliesTo: "products", targetIds: [] }), shirt)).toBe(false);
  });

  it("a products code does not look at categories, nor a categories code at the product", () => {
    expect(appliesToLine(discountCode({ appliesTo: "products", targetIds: ["cat_shirts"] }), shirt)).toBe(false);
    expect(appliesToLine(discountCode({ appliesTo: "categories", targetIds: ["prod_shirt"] }), shirt)).toBe(false);
  });

  it("a categories code: a line in none of its categories, or in no category", () => {
    const code = discountCode({ appliesTo: "categories", targetIds: ["cat_toys"] });
    expect(appliesToLine(code, shirt)).toBe(false);
    expect(appliesToLine(code, { productId: "prod_shirt", categoryPaths: [] })).toBe(false);
  });

  it("a subcategory's code does not cover its parent", () => {
    const code = discountCode({ appliesTo: "categories", targetIds: ["cat_shirts"] });
    expect(appliesToLine(code, { productId: "prod_coat", categoryPaths: ["/cat_clothes/"] })).toBe(false);
  });

  it("matches whole path segments: an id that is part of another id is not that category", () => {
    expect(appliesToLine(discountCode({ appliesTo: "categories", targetIds: ["cat_shirt"] }), shirt)).toBe(false);
    expect(appliesToLine(discountCode({ appliesTo: "categories", targetIds: ["shirts"] }), shirt)).toBe(false);
    expect(appliesToLine(discountCode({ appliesTo: "categories", targetIds: ["cat_clothes/cat_shirts"] }), shirt)).toBe(
      false,
    );
  });
});

describe("redemptionRefused: a reason it does not know", () => {
  it("is the 404 of a code that does not exist", () => {
    for (const reason of ["discount_unknown", "", "DISCOUNT_EXPIRED"]) {
      expect(redemptionRefused(reason, discountCode()), reason).toMatchObject({
        status: 404,
        code: "discount_not_found",
      });
    }
  });

  it("including the names every object inherits", () => {
    for (const reason of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
      expect(redemptionRefused(reason, discountCode()), reason).toMatchObject({
        status: 404,
        code: "discount_not_found",
      });
    }
  });
});
