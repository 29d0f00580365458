/**
 * Issue 14's first promise, end to end and without an account: a guest browses, fills a cart, applies a code,
 * picks shipping, sees tax, checks out with an email, pays with the mock provider and reads the order through the
 * link emailed to it; another guest cannot pay or read it.
 */
import { describe, expect, it } from "vitest";
import type { CartSchema } from "../../../src/modules/cart/schemas";
import type { CheckoutResultSchema, OrderSchema } from "../../../src/modules/orders/schemas";
import type { z } from "../../../src/platform/http/openapi";
import { signedInAdmin } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { asGuest, type Guest, startGuestCart } from "../support/guest-cart";
import { awaitEmails, linkTokenOf } from "../support/order-emails";
import { orderReaches, orderRow } from "../support/payments";
import { ADDRESS } from "../support/shopping";
import { createDiscountCode, createShippingZone, createTaxRate } from "../support/store-settings";
import { callWorker, readProblem } from "../support/worker";

type Cart = z.infer<typeof CartSchema>;
type Order = z.infer<typeof OrderSchema>;
type CheckoutResult = z.infer<typeof CheckoutResultSchema>;

/** The country no other test gives a zone or a rate. */
const COUNTRY = "NO";
const DEVELOPMENT = { ENVIRONMENT: "development" };

async function json<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

function checkoutAs(guest: Guest, body: Record<string, unknown>) {
  return asGuest(guest, "POST", "/api/orders", { body, headers: { "Idempotency-Key": crypto.randomUUID() } });
}

async function storeForNorway() {
  const admin = await signedInAdmin();
  const product = await createProduct(admin, { initial_stock: 10, price_amount: 2500, weight_grams: 400 });
  const zone = await createShippingZone(admin, {
    countries: [COUNTRY],
    methods: [
      {
        name: "Posten",
        rate_kind: "weight_tiers",
        tiers: [
          { min: 0, amount: 600 },
          { min: 1000, amount: 900 },
        ],
      },
    ],
  });
  const method = zone.methods[0];
  if (!method) throw new Error("the zone has no method");
  await createTaxRate(admin, { country: COUNTRY, name: "MVA", rate_bps: 2500 });
  const code = await createDiscountCode(admin, { kind: "fixed", value: 500 });
  return { product, method, code };
}

describe("a guest buys without an account", () => {
  it("browses, adds, applies a code, picks shipping, sees tax, pays with the mock provider, reads the order by its link", async () => {
    const { product, method, code } = await storeForNorway();
    const browsed = await callWorker(`/api/products/${product.id}`);
    expect(browsed.status).toBe(200);

    const guest = await startGuestCart();
    await json<Cart>(
      await asGuest(guest, "POST", "/api/cart/items", { body: { product_id: product.id, quantity: 3 } }),
      201,
    );
    const withCode = await json<Cart>(
      await asGuest(guest, "PUT", "/api/cart/discount", { body: { code: code.code.toLowerCase() } }),
      200,
    );
    expect(withCode.discount).toEqual({ code: code.code, kind: "fixed", amount: 500 });

    const options = await json<{ data: { id: string; amount: number }[] }>(
      await asGuest(guest, "GET", `/api/cart/shipping-options?country=${COUNTRY}`),
      200,
    );
    // 3 × 400 g = 1200 g: the second tier.
    expect(options.data).toEqual([expect.objectContaining({ id: method.id, amount: 900 })]);
    const priced = await json<Cart>(
      await asGuest(guest, "PUT", "/api/cart/shipping", { body: { country: COUNTRY, shipping_method_id: method.id } }),
      200,
    );
    // 7500 − 500 = 7000 of goods, 25 % tax on them (1750) and on shipping 900 (225).
    expect(priced).toMatchObject({
      subtotal_amount: 7500,
      discount_amount: 500,
      shipping_amount: 900,
      tax_rate_bps: 2500,
      tax_amount: 1975,
      total_amount: 7500 - 500 + 900 + 1975,
      prices_include_tax: false,
    });

    const email = `guest-${crypto.randomUUID()}@example.com`;
    const placed = await json<CheckoutResult>(
      await checkoutAs(guest, {
        shipping_address: { ...ADDRESS, country: COUNTRY },
        shipping_method_id: method.id,
        email,
      }),
      201,
    );
    expect(placed).toMatchObject({
      status: "awaiting_payment",
      total_amount: priced.total_amount,
      tax_amount: 1975,
      discount_code: code.code,
    });
    const row = await orderRow(placed.id);
    expect(row).toMatchObject({ userId: null, email, totalAmount: priced.total_amount });

    const stranger = await startGuestCart();
    const strangerPays = await asGuest(stranger, "POST", `/api/dev/payments/${placed.id}/succeed`, {
      env: DEVELOPMENT,
    });
    expect(strangerPays.status).toBe(404);
    const paid = await asGuest(guest, "POST", `/api/dev/payments/${placed.id}/succeed`, { env: DEVELOPMENT });
    expect(paid.status, await paid.clone().text()).toBe(202);
    await orderReaches(placed.id, "paid");
    expect((await orderRow(placed.id)).receivedAmount).toBe(priced.total_amount);

    const [confirmation] = await awaitEmails(email, /./);
    if (!confirmation) throw new Error("no confirmation email");
    const viaLink = await json<Order>(
      await callWorker(`/api/order-links?token=${encodeURIComponent(linkTokenOf(confirmation))}`),
      200,
    );
    expect(viaLink).toMatchObject({ id: placed.id, status: "paid", total_amount: priced.total_amount });

    const emptied = await json<Cart>(await asGuest(guest, "GET", "/api/cart"), 200);
    expect(emptied).toMatchObject({ items: [], discount: null });
  });

  it("a guest must give an email; the cart token opens no other order route", async () => {
    const product = await createProduct(await signedInAdmin(), { initial_stock: 5 });
    const guest = await startGuestCart();
    await json<Cart>(
      await asGuest(guest, "POST", "/api/cart/items", { body: { product_id: product.id, quantity: 1 } }),
      201,
    );
    const noEmail = await checkoutAs(guest, { shipping_address: ADDRESS, shipping_method_id: "shm_standard" });
    expect(noEmail.status).toBe(422);
    expect((await readProblem(noEmail)).errors?.map((error) => error.path)).toContain("body.email");
    for (const path of ["/api/orders", "/api/users/me"]) {
      expect((await asGuest(guest, "GET", path)).status, path).toBe(401);
    }
  });
});
