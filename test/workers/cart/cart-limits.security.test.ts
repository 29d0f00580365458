import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cartItems, carts } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { Barrier, databaseThrough } from "../support/faults";
import { asShopper, type Shopper } from "../support/shopping";
import { callWorkerWith, readProblem } from "../support/worker";

/**
 * Adds to the cart under the given limits (a deployment configured with them), `concurrent` at once, and none
 * writes its line before all have read the cart: every add passes the handler's own check, so only the
 * statement that writes can hold the limit.
 */
function adder(shopper: Shopper, limits: Record<string, string>, concurrent: number) {
  const barrier = new Barrier(/insert into "cart_items"/i, concurrent);
  return (productId: string, quantity: number) =>
    callWorkerWith(
      limits,
      "/api/cart/items",
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          Authorization: `Bearer ${shopper.token}`,
          "CF-Connecting-IP": shopper.client.ip,
        },
        body: JSON.stringify({ product_id: productId, quantity }),
      },
      databaseThrough(barrier),
    );
}

async function storedLines(shopperId: string) {
  return testDb()
    .select({ variantId: cartItems.variantId, quantity: cartItems.quantity })
    .from(cartItems)
    .innerJoin(carts, eq(carts.id, cartItems.cartId))
    .where(eq(carts.userId, shopperId));
}

async function productsInStock(count: number) {
  const admin = await signedInAdmin();
  const made = [];
  for (let index = 0; index < count; index++) {
    const product = await createProduct(admin);
    await setStockMirror(product.variant_id, 100);
    made.push(product);
  }
  return made;
}

describe("cart limits hold under concurrent updates", () => {
  it("twelve concurrent adds of 3 to one line: three are taken, the line stops at 9 of MAX_QTY_PER_LINE 10", async () => {
    const shopper = asShopper(await signedInUser());
    const [product] = await productsInStock(1);
    if (!product) throw new Error("no product was made");
    const add = adder(shopper, { MAX_QTY_PER_LINE: "10" }, 12);
    const responses = await Promise.all(Array.from({ length: 12 }, () => add(product.id, 3)));

    const taken = responses.filter((response) => response.status === 200 || response.status === 201);
    expect(taken).toHaveLength(3);
    const refused = responses.filter((response) => response.status === 422);
    expect(refused).toHaveLength(9);
    for (const response of refused) {
      expect(await readProblem(response)).toMatchObject({
        type: "urn:edge-commerce:problem:validation_error",
        errors: [{ path: "body.quantity", message: "A line holds at most 10 units" }],
      });
    }
    expect(await storedLines(shopper.id)).toEqual([{ variantId: product.variant_id, quantity: 9 }]);
  });

  it("eight concurrent adds of different products: exactly MAX_CART_LINES 3 lines, the rest refused as cart_full", async () => {
    const shopper = asShopper(await signedInUser());
    const made = await productsInStock(8);
    const variantIds = made.map((product) => product.variant_id);
    const add = adder(shopper, { MAX_CART_LINES: "3" }, 8);
    const responses = await Promise.all(made.map((product) => add(product.id, 1)));

    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    const refused = responses.filter((response) => response.status === 409);
    expect(refused).toHaveLength(5);
    for (const response of refused) {
      expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:cart_full");
    }
    const lines = await storedLines(shopper.id);
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => variantIds.includes(line.variantId) && line.quantity === 1)).toBe(true);
  });
});
