/**
 * The cart and order routes check the session in the same round trip as their first read. A token whose session
 * or account stopped (logout, deactivation, deletion, a role change) must still stop at once on every one of
 * them, and nothing read or written with it may take effect.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { idempotencyKeys, orders, users } from "../../../src/schema";
import {
  login,
  setRole,
  signedInAdmin,
  signedInUser,
  type TestAccount,
  type Tokens,
  testDb,
} from "../support/accounts";
import { createProduct } from "../support/catalog";
import { createProbeApp } from "../support/probe-app";
import { ADDRESS, addToCart, asShopper, type OrderBody, placeOrder, STANDARD_SHIPPING } from "../support/shopping";
import { readProblem } from "../support/worker";

/** A shopper with a cart line and an order awaiting payment, and the routes that check with their first read. */
async function shopperWithHistory() {
  const admin = await signedInAdmin();
  const account = await signedInUser();
  const shopper = asShopper(account);
  const product = await createProduct(admin, { initial_stock: 10 });
  await addToCart(shopper, product.id, 1);
  const placed = await placeOrder(shopper);
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as OrderBody;
  await addToCart(shopper, product.id, 2);
  const cart = (await (await shopper.client.fetch("/api/cart", { token: shopper.token })).json()) as {
    items: { id: string }[];
  };
  const lineId = cart.items[0]?.id ?? "";
  const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const routes: [string, string, RequestInit][] = [
    ["GET", "/api/cart", {}],
    ["POST", "/api/cart/items", json({ product_id: product.id, quantity: 1 })],
    ["PATCH", `/api/cart/items/${lineId}`, json({ quantity: 3 })],
    ["DELETE", `/api/cart/items/${lineId}`, {}],
    ["DELETE", "/api/cart", {}],
    ["GET", "/api/orders", {}],
    ["GET", `/api/orders/${order.id}`, {}],
    ["GET", `/api/orders/${order.id}/payment`, {}],
    ["POST", `/api/orders/${order.id}/cancel`, {}],
  ];
  return { account, product, order, routes };
}

async function expectEveryRouteStops(
  account: TestAccount & { tokens: Tokens },
  routes: [string, string, RequestInit][],
  label: string,
) {
  for (const [method, path, init] of routes) {
    const response = await account.client.fetch(path, { ...init, method, token: account.tokens.access_token });
    expect(response.status, `${label}: ${method} ${path}`).toBe(401);
    expect((await readProblem(response)).type, `${label}: ${method} ${path}`).toBe(
      "urn:edge-commerce:problem:invalid_token",
    );
  }
}

async function cartQuantities(account: TestAccount) {
  const tokens = await login(account);
  const response = await account.client.fetch("/api/cart", { token: tokens.access_token });
  return ((await response.json()) as { items: { quantity: number }[] }).items.map((item) => item.quantity);
}

describe("routes that check the session with their first read stop a token at once", () => {
  it("after logout: 401 on every cart and order route, and the cart, the order and the key are as they were", async () => {
    const { account, order, routes } = await shopperWithHistory();
    const logout = await account.client.fetch("/api/auth/logout", {
      method: "POST",
      token: account.tokens.access_token,
    });
    expect(logout.status).toBe(204);

    await expectEveryRouteStops(account, routes, "logged out");
    const key = crypto.randomUUID();
    const checkout = await placeOrder(asShopper(account), key, {
      shipping_address: ADDRESS,
      shipping_method_id: STANDARD_SHIPPING,
    });
    expect(checkout.status).toBe(401);

    expect(await cartQuantities(account)).toEqual([2]);
    const [row] = await testDb().select().from(orders).where(eq(orders.id, order.id));
    expect(row?.status).toBe("awaiting_payment");
    const userOrders = await testDb().select({ id: orders.id }).from(orders).where(eq(orders.userId, account.id));
    expect(userOrders).toHaveLength(1);
    // The refused checkout's Idempotency-Key was freed, not kept as the answer to it.
    await expect
      .poll(async () => testDb().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)))
      .toEqual([]);
  });

  it("after deactivation, deletion, demotion and promotion", async () => {
    const changes: [string, (account: TestAccount) => Promise<void>][] = [
      [
        "deactivated",
        (account) => testDb().update(users).set({ isActive: false }).where(eq(users.id, account.id)).then(),
      ],
      [
        "deleted",
        (account) =>
          testDb().update(users).set({ deletedAt: new Date().toISOString() }).where(eq(users.id, account.id)).then(),
      ],
      ["promoted", (account) => setRole(account.id, "admin")],
    ];
    for (const [label, change] of changes) {
      const { account, routes } = await shopperWithHistory();
      await change(account);
      await expectEveryRouteStops(account, routes, label);
    }

    const admin = await signedInAdmin();
    await setRole(admin.id, "user");
    const response = await admin.client.fetch("/api/cart", { token: admin.tokens.access_token });
    expect(response.status, "demoted").toBe(401);
  });
});

describe("a route under those prefixes that never checks the session", () => {
  it("answers 500, never its success, even for a genuine token", async () => {
    const account = await signedInUser();
    const response = await createProbeApp().request(
      "https://api.test/api/cart/probe-unchecked",
      { headers: { Authorization: `Bearer ${account.tokens.access_token}` } },
      env,
    );
    expect(response.status).toBe(500);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:internal_error");
  });
});
