/**
 * The ways around a code's limits, a free-shipping code's scope and a regional tax rate that an attack review of
 * issue 14 found, each closed, and the rate limit of guest checkouts.
 */
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GuestAccess } from "../../../src/modules/cart/access";
import { cartTokenHash } from "../../../src/modules/cart/cart-token";
import { checkoutSteps, prepareCheckout } from "../../../src/modules/orders/checkout";
import { discountRedemptions } from "../../../src/schema";
import { signedInAdmin, signedInUser, testClient, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { asGuest, type Guest, startGuestCart } from "../support/guest-cart";
import { deliverAndSettle, intentOf, orderRow, paidOrder, stripeEvent } from "../support/payments";
import { orderServices } from "../support/services";
import { ADDRESS, addToCart, asShopper, placeOrder, STANDARD_SHIPPING } from "../support/shopping";
import { adminCall, applyCode, createDiscountCode, createTaxRate } from "../support/store-settings";
import { readProblem } from "../support/worker";

const PROBLEM = "urn:edge-commerce:problem:";

/** Bulgaria: no test gives it a zone, so the fallback's free "Standard" serves it. */
const SHIPPING = { shipping_address: { ...ADDRESS, country: "BG" }, shipping_method_id: STANDARD_SHIPPING };

async function guestWith(productId: string, guest?: Guest) {
  const cart = guest ?? (await startGuestCart());
  const added = await asGuest(cart, "POST", "/api/cart/items", { body: { product_id: productId, quantity: 1 } });
  expect(added.status, await added.clone().text()).toBe(201);
  return cart;
}

function guestCheckout(guest: Guest, email: string, body: Record<string, unknown> = SHIPPING) {
  return asGuest(guest, "POST", "/api/orders", {
    body: { ...body, email },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
}

async function usesHeld(codeId: string) {
  return testDb()
    .select()
    .from(discountRedemptions)
    .where(and(eq(discountRedemptions.codeId, codeId), isNull(discountRedemptions.releasedAt)));
}

describe("a code's limits cannot be stepped around", () => {
  it("a declined payment gives the use back; a payment that still arrives takes it again", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 5 });
    const code = await createDiscountCode(admin, { usage_limit: 1 });
    const guest = await guestWith(product.id);
    expect((await asGuest(guest, "PUT", "/api/cart/discount", { body: { code: code.code } })).status).toBe(200);
    const placed = await guestCheckout(guest, `decline-${crypto.randomUUID()}@example.com`);
    expect(placed.status, await placed.clone().text()).toBe(201);
    const { id } = (await placed.json()) as { id: string };

    await deliverAndSettle(
      stripeEvent("payment_intent.payment_failed", intentOf(await orderRow(id), { status: "requires_payment_method" })),
    );
    expect((await orderRow(id)).status).toBe("payment_failed");
    expect(await usesHeld(code.id)).toHaveLength(0);

    await deliverAndSettle(stripeEvent("payment_intent.succeeded", intentOf(await orderRow(id))));
    expect((await orderRow(id)).status).toBe("paid");
    expect((await usesHeld(code.id)).map((use) => use.orderId)).toEqual([id]);
  });

  it("an account's limit per customer holds for a guest checkout with its address, in any case or with a +tag", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 5 });
    const code = await createDiscountCode(admin, { per_customer_limit: 1 });
    const account = await signedInUser();
    const shopper = asShopper(account);
    await addToCart(shopper, product.id, 1);
    expect((await applyCode(shopper, code.code)).status).toBe(200);
    await paidOrder(shopper, await placeOrder(shopper, crypto.randomUUID(), SHIPPING));

    const [local, domain] = account.email.split("@");
    for (const email of [account.email, `${local?.toUpperCase()}+again@${domain}`]) {
      const guest = await guestWith(product.id);
      expect((await asGuest(guest, "PUT", "/api/cart/discount", { body: { code: code.code } })).status).toBe(200);
      const refused = await guestCheckout(guest, email);
      expect(refused.status, email).toBe(409);
      expect((await readProblem(refused)).type).toBe(`${PROBLEM}discount_customer_limit_reached`);
    }
    expect(await usesHeld(code.id)).toHaveLength(1);
  });

  it("a free-shipping code for some products does not apply to a cart without them", async () => {
    const admin = await signedInAdmin();
    const [covered, other] = [await createProduct(admin), await createProduct(admin, { initial_stock: 3 })];
    const code = await createDiscountCode(admin, {
      kind: "free_shipping",
      value: 0,
      applies_to: "products",
      target_ids: [covered.id],
    });
    const guest = await guestWith(other.id);
    const refused = await asGuest(guest, "PUT", "/api/cart/discount", { body: { code: code.code } });
    expect(refused.status).toBe(422);
    expect((await readProblem(refused)).type).toBe(`${PROBLEM}discount_not_applicable`);
  });
});

describe("a country taxed only by region", () => {
  it("an address without one of its regions is refused, not priced without tax; a known region is taxed", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 5, price_amount: 1000 });
    await createTaxRate(admin, { country: "AU", region: "NSW", name: "GST", rate_bps: 1000 });
    const body = { shipping_address: { ...ADDRESS, country: "AU" }, shipping_method_id: STANDARD_SHIPPING };
    for (const region of [undefined, "Atlantis"]) {
      const guest = await guestWith(product.id);
      const refused = await guestCheckout(guest, "tax@example.com", {
        ...body,
        shipping_address: { ...body.shipping_address, region },
      });
      expect(refused.status, String(region)).toBe(422);
      expect(await readProblem(refused)).toMatchObject({ type: `${PROBLEM}tax_region_unknown`, regions: ["NSW"] });
    }
    const guest = await guestWith(product.id);
    const taxed = await guestCheckout(guest, "tax@example.com", {
      ...body,
      shipping_address: { ...body.shipping_address, region: "nsw" },
    });
    expect(taxed.status, await taxed.clone().text()).toBe(201);
    expect(await taxed.json()).toMatchObject({ tax_amount: 100, total_amount: 1100 });
  });
});

describe("guest checkouts per client address", () => {
  it("the 6th guest checkout within a minute from one address is 429 with Retry-After", async () => {
    const product = await createProduct(await signedInAdmin(), { initial_stock: 20 });
    const client = testClient();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const guest = await guestWith(product.id, await startGuestCart(client));
      const response = await guestCheckout(guest, `burst-${attempt}@example.com`);
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get("Retry-After")).toBe("60");
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});

describe("a guest cart's one open order and the code's limits at the write", () => {
  it("two concurrent checkouts of one guest cart: one order, one 409 open_order_exists naming it", async () => {
    const product = await createProduct(await signedInAdmin(), { initial_stock: 5 });
    const guest = await guestWith(product.id);
    const answers = await Promise.all([
      guestCheckout(guest, "twice@example.com"),
      guestCheckout(guest, "twice@example.com"),
    ]);
    const placed = answers.find((answer) => answer.status === 201);
    const refused = answers.find((answer) => answer.status === 409);
    if (!placed || !refused) throw new Error(`expected one 201 and one 409, got ${answers.map((a) => a.status)}`);
    const { id } = (await placed.json()) as { id: string };
    expect(await readProblem(refused)).toMatchObject({ type: `${PROBLEM}open_order_exists`, order_id: id });
  });

  it("two guest checkouts with one address, both read before either wrote: the trigger refuses the second use", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 5 });
    const code = await createDiscountCode(admin, { per_customer_limit: 1 });
    const services = orderServices();
    const states = [];
    for (const email of ["same@example.com", "Same+2@example.com"]) {
      const guest = await guestWith(product.id);
      expect((await asGuest(guest, "PUT", "/api/cart/discount", { body: { code: code.code } })).status).toBe(200);
      const tokenHash = await cartTokenHash(guest.token);
      if (!tokenHash) throw new Error("not a cart token");
      const access = new GuestAccess(testDb(), { kind: "guest", tokenHash, now: new Date().toISOString() }, 30);
      states.push(await prepareCheckout(services, access, { ...SHIPPING, email }));
    }
    const [snapshot] = checkoutSteps(services);
    if (!snapshot) throw new Error("checkout has no steps");
    const [first, second] = states;
    if (!first || !second) throw new Error("two checkouts were prepared");
    await snapshot.run(first);
    await expect(snapshot.run(second)).rejects.toMatchObject({ status: 409, code: "discount_customer_limit_reached" });
    expect(await usesHeld(code.id)).toHaveLength(1);
  });
});

describe("codes cannot be told apart or guessed at speed", () => {
  it("unknown, switched off and deleted codes get the same 404; the 21st attempt in a minute from one client is 429", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 5 });
    const [off, gone] = [await createDiscountCode(admin), await createDiscountCode(admin)];
    expect((await adminCall(admin, "PATCH", `/api/admin/discount-codes/${off.id}`, { is_active: false })).status).toBe(
      200,
    );
    expect((await adminCall(admin, "DELETE", `/api/admin/discount-codes/${gone.id}`)).status).toBe(204);
    const guest = await guestWith(product.id);
    const attempt = (code: string) => asGuest(guest, "PUT", "/api/cart/discount", { body: { code } });
    const answers = [];
    for (const code of [off.code, gone.code, "NO-SUCH-CODE"]) {
      const response = await attempt(code);
      expect(response.status, code).toBe(404);
      const { type, title, status, detail } = await readProblem(response);
      answers.push({ type, title, status, detail });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    for (let tried = answers.length; tried < 20; tried += 1) expect((await attempt(`GUESS-${tried}`)).status).toBe(404);
    const limited = await attempt("GUESS-LAST");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
  });
});
