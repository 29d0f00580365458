import { describe, expect, it } from "vitest";
import {
  appliesToLine,
  customerKey,
  REDEMPTION_REFUSALS,
  redemptionRefused,
  refusalOf,
  toPricingDiscount,
} from "../../../src/modules/discounts/apply";
import { cartAt, discountCode, NOON } from "./discount-code";

describe("customerKey: one customer however the address is typed", () => {
  it("is the address in lower case, prefixed with `email:`", () => {
    expect(customerKey("ann@example.com")).toBe("email:ann@example.com");
    expect(customerKey("Ann@Example.COM")).toBe("email:ann@example.com");
  });

  it("ignores surrounding space", () => {
    expect(customerKey("  ann@example.com \t")).toBe("email:ann@example.com");
  });

  it("drops a `+tag` from the local part, from the first `+` on", () => {
    expect(customerKey("Ann+x@Example.com")).toBe("email:ann@example.com");
    expect(customerKey("ann+shop+2@example.com")).toBe("email:ann@example.com");
    expect(customerKey("ann+@example.com")).toBe("email:ann@example.com");
  });

  it("keeps a `+` in the domain: only the local part has tags", () => {
    expect(customerKey("ann@ex+ample.com")).toBe("email:ann@ex+ample.com");
  });

  it("splits at the first `@`", () => {
    expect(customerKey("ann@b+c@example.com")).toBe("email:ann@b+c@example.com");
    expect(customerKey("a+b@c@example.com")).toBe("email:a@c@example.com");
  });

  it("gives an account and a guest checkout with the same address the same key", () => {
    const keys = new Set(["ann@example.com", " ANN@example.com", "ann+orders@EXAMPLE.com"].map(customerKey));
    expect([...keys]).toEqual(["email:ann@example.com"]);
  });

  it("keeps different people apart", () => {
    expect(customerKey("ann@example.com")).not.toBe(customerKey("anna@example.com"));
    expect(customerKey("ann@example.com")).not.toBe(customerKey("ann@example.org"));
  });
});

describe("refusalOf: a usable code", () => {
  it("applies when nothing stands in the way", () => {
    expect(refusalOf(discountCode(), cartAt())).toBeNull();
  });

  it("applies from the instant it starts, and up to (not at) the instant it ends", () => {
    expect(refusalOf(discountCode({ startsAt: NOON }), cartAt())).toBeNull();
    expect(refusalOf(discountCode({ endsAt: "2025-06-01T12:00:00.001Z" }), cartAt())).toBeNull();
    expect(
      refusalOf(discountCode({ startsAt: "2025-05-01T00:00:00.000Z", endsAt: "2025-07-01T00:00:00.000Z" }), cartAt()),
    ).toBeNull();
  });

  it("applies while its uses stay below its limits", () => {
    expect(refusalOf(discountCode({ usageLimit: 5 }), cartAt({ total: 4 }))).toBeNull();
    expect(refusalOf(discountCode({ perCustomerLimit: 2 }), cartAt({ total: 10, byCustomer: 1 }))).toBeNull();
  });

  it("counts a customer's uses against the customer limit only, and all uses against the usage limit only", () => {
    expect(refusalOf(discountCode({ perCustomerLimit: 1 }), cartAt({ total: 50 }))).toBeNull();
    expect(refusalOf(discountCode({ usageLimit: 3 }), cartAt({ total: 0, byCustomer: 7 }))).toBeNull();
  });

  it("applies to a subtotal equal to its minimum", () => {
    expect(refusalOf(discountCode({ minimumSubtotalAmount: 5000 }), cartAt({ subtotalAmount: 5000 }))).toBeNull();
  });

  it("applies when only part of the cart is eligible", () => {
    expect(refusalOf(discountCode(), cartAt({ subtotalAmount: 5000, eligibleAmount: 1 }))).toBeNull();
  });
});

describe("appliesToLine", () => {
  const line = { productId: "prod_shirt", categoryPaths: ["/cat_clothes/cat_shirts/", "/cat_sale/"] };

  it("an order code applies to every line, whatever its targets say", () => {
    expect(appliesToLine(discountCode({ appliesTo: "order" }), line)).toBe(true);
    expect(appliesToLine(discountCode({ appliesTo: "order", targetIds: ["prod_other"] }), line)).toBe(true);
    expect(appliesToLine(discountCode(), { productId: "prod_x", categoryPaths: [] })).toBe(true);
  });

  it("a products code applies to its products' lines", () => {
    const code = discountCode({ appliesTo: "products", targetIds: ["prod_hat", "prod_shirt"] });
    expect(appliesToLine(code, line)).toBe(true);
  });

  it("a categories code applies to a line in one of its categories", () => {
    expect(appliesToLine(discountCode({ appliesTo: "categories", targetIds: ["cat_sale"] }), line)).toBe(true);
    expect(appliesToLine(discountCode({ appliesTo: "categories", targetIds: ["cat_shirts"] }), line)).toBe(true);
  });

  it("a category covers its subcategories: the root's code applies to a line filed deeper", () => {
    const code = discountCode({ appliesTo: "categories", targetIds: ["cat_clothes"] });
    expect(appliesToLine(code, line)).toBe(true);
    expect(appliesToLine(code, { productId: "prod_sock", categoryPaths: ["/cat_clothes/cat_feet/cat_socks/"] })).toBe(
      true,
    );
  });

  it("any one of several targets is enough", () => {
    const code = discountCode({ appliesTo: "categories", targetIds: ["cat_toys", "cat_sale"] });
    expect(appliesToLine(code, line)).toBe(true);
  });
});

describe("toPricingDiscount: what pricing needs of a code", () => {
  it("a percentage code is its percent", () => {
    expect(toPricingDiscount(discountCode({ kind: "percentage", value: 15 }))).toEqual({
      kind: "percentage",
      percent: 15,
    });
  });

  it("a fixed code is its amount", () => {
    expect(toPricingDiscount(discountCode({ kind: "fixed", value: 500 }))).toEqual({ kind: "fixed", amount: 500 });
  });

  it("a free-shipping code is just that", () => {
    expect(toPricingDiscount(discountCode({ kind: "free_shipping", value: 0 }))).toEqual({ kind: "free_shipping" });
  });
});

describe("redemptionRefused: the trigger's reasons as problems", () => {
  it("knows every reason the redemption trigger raises", () => {
    expect(REDEMPTION_REFUSALS.toSorted()).toEqual([
      "discount_customer_limit_reached",
      "discount_expired",
      "discount_inactive",
      "discount_limit_reached",
      "discount_not_started",
    ]);
  });

  it("a reason names its problem, with the window's edge where there is one", () => {
    const code = discountCode({ startsAt: "2025-07-01T00:00:00.000Z", endsAt: "2025-08-01T00:00:00.000Z" });
    expect(redemptionRefused("discount_not_started", code)).toMatchObject({
      status: 409,
      code: "discount_not_started",
      detail: "This code is not valid yet.",
      options: { extensions: { starts_at: "2025-07-01T00:00:00.000Z" } },
    });
    expect(redemptionRefused("discount_expired", code)).toMatchObject({
      status: 409,
      code: "discount_expired",
      detail: "This code has expired.",
      options: { extensions: { ends_at: "2025-08-01T00:00:00.000Z" } },
    });
    expect(redemptionRefused("discount_limit_reached", code)).toMatchObject({
      status: 409,
      code: "discount_limit_reached",
      detail: "This code has been used as often as it may be.",
    });
    expect(redemptionRefused("discount_customer_limit_reached", code)).toMatchObject({
      status: 409,
      code: "discount_customer_limit_reached",
      detail: "You have used this code as often as you may.",
    });
  });

  it("a code switched off since it was applied is the same 404 as a code that never existed", () => {
    expect(redemptionRefused("discount_inactive", discountCode({ isActive: false }))).toMatchObject({
      status: 404,
      code: "discount_not_found",
      detail: "No such discount code.",
    });
  });
});
