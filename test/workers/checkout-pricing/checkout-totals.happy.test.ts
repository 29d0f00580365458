import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { CartSchema } from "../../../src/modules/cart/schemas";
import type { CheckoutResultSchema } from "../../../src/modules/orders/schemas";
import type { z } from "../../../src/platform/http/openapi";
import { orderTaxLines } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { orderRow, settled } from "../support/payments";
import { ADDRESS, addToCart, asShopper, placeOrder, type Shopper, STANDARD_SHIPPING } from "../support/shopping";
import { applyCode, createDiscountCode, createShippingZone, createTaxRate } from "../support/store-settings";
import { callWorkerWith, readProblem } from "../support/worker";

const PROBLEM = "urn:edge-commerce:problem:";

type CartBody = z.infer<typeof CartSchema>;
type PlacedOrder = z.infer<typeof CheckoutResultSchema>;
type Amounts = Pick<
  CartBody,
  "subtotal_amount" | "discount_amount" | "shipping_amount" | "tax_amount" | "total_amount"
>;

function amountsOf(body: Amounts): Amounts {
  const { subtotal_amount, discount_amount, shipping_amount, tax_amount, total_amount } = body;
  return { subtotal_amount, discount_amount, shipping_amount, tax_amount, total_amount };
}

async function shopperWith(quantity: number, priceAmount: number) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 20, price_amount: priceAmount });
  await addToCart(shopper, product.id, quantity);
  return { admin, shopper, product };
}

async function call(shopper: Shopper, method: string, path: string, body?: unknown) {
  return body === undefined
    ? shopper.client.fetch(path, { method, token: shopper.token })
    : shopper.client.json(method, path, body, shopper.token);
}

function checkoutTo(shopper: Shopper, country: string, shippingMethodId: string) {
  return placeOrder(shopper, crypto.randomUUID(), {
    shipping_address: { ...ADDRESS, country },
    shipping_method_id: shippingMethodId,
  });
}

function methodId(zone: { methods: { id: string }[] }): string {
  const id = zone.methods[0]?.id;
  if (!id) throw new Error("zone without a method");
  return id;
}

describe("checkout totals: discount, shipping and tax", () => {
  it("the cart view, the order, its tax lines and the payment all carry the same amounts; paying makes it paid", async () => {
    const { admin, shopper } = await shopperWith(2, 2500);
    const zone = await createShippingZone(admin, {
      countries: ["PT"],
      methods: [{ name: "Correio", rate_kind: "flat", amount: 500, free_over_amount: 20_000 }],
    });
    const method = methodId(zone);
    await createTaxRate(admin, { country: "PT", name: "IVA", rate_bps: 2300 });
    const code = await createDiscountCode(admin, { kind: "percentage", value: 10 });

    expect((await applyCode(shopper, code.code)).status).toBe(200);
    const shipping = await call(shopper, "PUT", "/api/cart/shipping", { country: "PT", shipping_method_id: method });
    expect(shipping.status, await shipping.clone().text()).toBe(200);
    const cart = (await (await call(shopper, "GET", "/api/cart")).json()) as CartBody;
    // 2 × 2500 = 5000; 10 % off: 500; shipping 500; 23 % of (4500 + 500) = 1150.
    expect(amountsOf(cart)).toEqual({
      subtotal_amount: 5000,
      discount_amount: 500,
      shipping_amount: 500,
      tax_amount: 1150,
      total_amount: 6150,
    });
    expect(cart).toMatchObject({
      discount: { code: code.code, kind: "percentage", amount: 500 },
      shipping_method: { id: method, amount: 500 },
      tax_rate_bps: 2300,
      prices_include_tax: false,
    });
    expect(cart.total_amount).toBe(
      cart.subtotal_amount - cart.discount_amount + cart.shipping_amount + cart.tax_amount,
    );

    const placed = await checkoutTo(shopper, "PT", method);
    expect(placed.status, await placed.clone().text()).toBe(201);
    const order = (await placed.json()) as PlacedOrder;
    expect(amountsOf(order)).toEqual(amountsOf(cart));
    expect(order).toMatchObject({ discount_code: code.code, shipping_method: { id: method, name: "Correio" } });

    const taxLines = await testDb().select().from(orderTaxLines).where(eq(orderTaxLines.orderId, order.id));
    expect(taxLines).toHaveLength(2);
    expect(taxLines.every((line) => line.rateBps === 2300 && line.country === "PT" && line.name === "IVA")).toBe(true);
    expect(taxLines.reduce((sum, line) => sum + line.amount, 0)).toBe(order.tax_amount);
    expect(taxLines.find((line) => line.orderItemId === null)).toMatchObject({ taxableAmount: 500, amount: 115 });

    const payment = await call(shopper, "GET", `/api/orders/${order.id}/payment`);
    expect(payment.status).toBe(200);
    expect(await payment.json()).toMatchObject({ amount: order.total_amount, provider: "mock" });

    const driven = await callWorkerWith({ ENVIRONMENT: "development" }, `/api/dev/payments/${order.id}/succeed`, {
      method: "POST",
      headers: { Authorization: `Bearer ${shopper.token}`, "CF-Connecting-IP": shopper.client.ip },
    });
    expect(driven.status, await driven.clone().text()).toBe(202);
    const { event_id: eventId } = (await driven.json()) as { event_id: string };
    const [event] = await settled([eventId]);
    expect(event?.status).toBe("processed");
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", totalAmount: 6150, receivedAmount: 6150 });
  });

  it("a free-shipping code takes the shipping off", async () => {
    const { admin, shopper } = await shopperWith(1, 3000);
    const zone = await createShippingZone(admin, {
      countries: ["GR"],
      methods: [{ name: "ELTA", rate_kind: "flat", amount: 700 }],
    });
    const method = methodId(zone);
    const code = await createDiscountCode(admin, { kind: "free_shipping", value: 0 });
    expect((await applyCode(shopper, code.code)).status).toBe(200);
    const shipping = await call(shopper, "PUT", "/api/cart/shipping", { country: "GR", shipping_method_id: method });
    const cart = (await shipping.json()) as CartBody;
    expect(cart).toMatchObject({ subtotal_amount: 3000, shipping_amount: 0, total_amount: 3000 + cart.tax_amount });

    const placed = await checkoutTo(shopper, "GR", method);
    expect(placed.status, await placed.clone().text()).toBe(201);
    const order = (await placed.json()) as PlacedOrder;
    expect(order).toMatchObject({ discount_code: code.code, shipping_amount: 0, subtotal_amount: 3000 });
    expect(order.total_amount).toBe(order.subtotal_amount - order.discount_amount + order.tax_amount);
  });

  it("a method that does not serve the address's country is refused, in the cart and at checkout", async () => {
    const { admin, shopper } = await shopperWith(1, 1000);
    const zone = await createShippingZone(admin, {
      countries: ["HU"],
      methods: [{ name: "Magyar Posta", rate_kind: "flat", amount: 300 }],
    });
    const hungarianOnly = methodId(zone);

    const shipping = await call(shopper, "PUT", "/api/cart/shipping", {
      country: "HR",
      shipping_method_id: hungarianOnly,
    });
    expect(shipping.status).toBe(422);
    expect((await readProblem(shipping)).type).toBe(`${PROBLEM}shipping_method_unavailable`);

    const placed = await checkoutTo(shopper, "HR", hungarianOnly);
    expect(placed.status).toBe(422);
    expect((await readProblem(placed)).type).toBe(`${PROBLEM}shipping_method_unavailable`);
    // The fallback's method does serve it.
    expect((await checkoutTo(shopper, "HR", STANDARD_SHIPPING)).status).toBe(201);
  });

  it("applying a code is refused when it is unknown, expired, not started, or the cart is under its minimum", async () => {
    const { admin, shopper } = await shopperWith(1, 1000);
    const day = 86_400_000;
    const expired = await createDiscountCode(admin, {
      starts_at: new Date(Date.now() - 2 * day).toISOString(),
      ends_at: new Date(Date.now() - day).toISOString(),
    });
    const notStarted = await createDiscountCode(admin, { starts_at: new Date(Date.now() + day).toISOString() });
    const minimum = await createDiscountCode(admin, { minimum_subtotal_amount: 5000 });

    const cases: [string, number, string][] = [
      [`NOPE-${crypto.randomUUID().slice(0, 8)}`, 404, "discount_not_found"],
      [expired.code, 409, "discount_expired"],
      [notStarted.code, 409, "discount_not_started"],
      [minimum.code, 422, "discount_minimum_not_met"],
    ];
    for (const [code, status, type] of cases) {
      const response = await applyCode(shopper, code);
      expect(response.status, code).toBe(status);
      expect((await readProblem(response)).type).toBe(`${PROBLEM}${type}`);
    }
    const cart = (await (await call(shopper, "GET", "/api/cart")).json()) as CartBody;
    expect(cart).toMatchObject({ discount: null, discount_amount: 0 });
  });
});
