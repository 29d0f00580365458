import { afterEach, describe, expect, it, vi } from "vitest";
import { newCartToken } from "../../../src/modules/cart/cart-token";
import { signedInAdmin, testClient } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { passTime } from "../support/clock";
import { asGuest, type Guest, guestAdds, startGuestCart } from "../support/guest-cart";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

const DAY_SECONDS = 86_400;

async function expectInvalidCartToken(response: Response) {
  expect(response.status).toBe(401);
  const problem = await readProblem(response);
  expect(problem.type).toBe("urn:edge-commerce:problem:invalid_cart_token");
  // One answer for malformed, unknown and expired alike.
  expect(problem.detail).toBe("The cart token is invalid or its cart has expired.");
}

/** Every cart endpoint, as the guest would call them. */
function everyEndpoint(guest: Guest): Promise<Response>[] {
  return [
    asGuest(guest, "GET", "/api/cart"),
    asGuest(guest, "POST", "/api/cart/items", { body: { variant_id: "var_x", quantity: 1 } }),
    asGuest(guest, "PATCH", "/api/cart/items/cit_x", { body: { quantity: 1 } }),
    asGuest(guest, "DELETE", "/api/cart/items/cit_x"),
    asGuest(guest, "DELETE", "/api/cart"),
  ];
}

describe("guest cart credentials", () => {
  it("no credentials at all: 401 as for any signed-in route", async () => {
    const response = await testClient().fetch("/api/cart");
    expect(response.status).toBe(401);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:unauthorized");
  });

  it("a malformed or unknown cart token: 401 invalid_cart_token on every endpoint", async () => {
    const client = testClient();
    for (const token of ["", "short", `${newCartToken()}x`, newCartToken().replace(/.$/, "+"), newCartToken()]) {
      for (const response of await Promise.all(everyEndpoint({ token, client }))) {
        await expectInvalidCartToken(response);
      }
    }
  });

  it("an expired cart: 401 invalid_cart_token, for reads and writes", async () => {
    const guest = await startGuestCart();
    passTime(31 * DAY_SECONDS);
    for (const response of await Promise.all(everyEndpoint(guest))) await expectInvalidCartToken(response);
  });
});

describe("guest cart limits are the users'", () => {
  it("quantities over MAX_QTY_PER_LINE, at once or in total, and beyond the stock are refused", async () => {
    const product = await createProduct(await signedInAdmin());
    await setStockMirror(product.variant_id, 5);
    const guest = await startGuestCart();
    const add = (quantity: number) =>
      asGuest(guest, "POST", "/api/cart/items", {
        body: { product_id: product.id, quantity },
        env: { MAX_QTY_PER_LINE: "4" },
      });
    expect((await add(0)).status).toBe(422);
    expect((await add(5)).status).toBe(422);
    expect((await add(3)).status).toBe(201);
    expect((await add(2)).status).toBe(422);
    const beyondStock = await asGuest(guest, "POST", "/api/cart/items", {
      body: { product_id: product.id, quantity: 3 },
    });
    expect(beyondStock.status).toBe(409);
  });

  it("a cart holds at most MAX_CART_LINES lines", async () => {
    const admin = await signedInAdmin();
    const guest = await startGuestCart();
    const products = [await createProduct(admin), await createProduct(admin)];
    for (const product of products) await setStockMirror(product.variant_id, 10);
    const [first, second] = products;
    const add = (productId: string) =>
      asGuest(guest, "POST", "/api/cart/items", {
        body: { product_id: productId, quantity: 1 },
        env: { MAX_CART_LINES: "1" },
      });
    expect((await add(first?.id ?? "")).status).toBe(201);
    const full = await add(second?.id ?? "");
    expect(full.status).toBe(409);
    expect((await readProblem(full)).type).toBe("urn:edge-commerce:problem:cart_full");
    expect((await guestAdds(guest, first?.id ?? "", 1)).items).toHaveLength(1);
  });
});
