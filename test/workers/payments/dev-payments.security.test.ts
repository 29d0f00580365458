import { describe, expect, it } from "vitest";
import { signedInAdmin, signedInUser } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { orderRow, WITH_STRIPE } from "../support/payments";
import { addToCart, asShopper, type OrderBody, placeOrder } from "../support/shopping";
import { callWorkerWith, type EnvOverrides, PRODUCTION_ENV, readProblem } from "../support/worker";

async function orderAwaitingPayment() {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: 3 });
  await addToCart(shopper, product.id, 1);
  const order = (await (await placeOrder(shopper)).json()) as OrderBody;
  return { shopper, order };
}

function succeed(overrides: EnvOverrides, orderId: string, token?: string) {
  return callWorkerWith(overrides, `/api/dev/payments/${orderId}/succeed`, {
    method: "POST",
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

describe("the mock payment controls exist only in development with the mock provider", () => {
  it("in test, staging-like and production configurations, and with a Stripe key, they are a plain 404, signed in or not", async () => {
    const { shopper, order } = await orderAwaitingPayment();
    for (const overrides of [{}, PRODUCTION_ENV, { ENVIRONMENT: "development", ...WITH_STRIPE }]) {
      for (const token of [undefined, shopper.token]) {
        const response = await succeed(overrides, order.id, token);
        expect(response.status, JSON.stringify(overrides)).toBe(404);
        expect(await readProblem(response)).toMatchObject({ type: "urn:edge-commerce:problem:not_found" });
      }
    }
    expect((await orderRow(order.id)).status).toBe("awaiting_payment");
  });

  it("in development they need a signed-in owner, and an unknown outcome is a 422", async () => {
    const { shopper, order } = await orderAwaitingPayment();
    const development = { ENVIRONMENT: "development" };
    expect((await succeed(development, order.id)).status).toBe(401);
    const bogus = await callWorkerWith(development, `/api/dev/payments/${order.id}/refund`, {
      method: "POST",
      headers: { Authorization: `Bearer ${shopper.token}` },
    });
    expect(bogus.status).toBe(422);
  });
});
