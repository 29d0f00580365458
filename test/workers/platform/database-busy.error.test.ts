import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cartItems, carts } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { databaseThrough } from "../support/faults";
import { callWorkerWith, readProblem } from "../support/worker";

/**
 * A database that refuses every round trip as sqld does when its request queue is full (HTTP 429), and counts
 * them; `passAfter` lets the first refusals be followed by the real database.
 */
function crowdedDatabase(passAfter = Number.POSITIVE_INFINITY) {
  let refused = 0;
  return {
    get refused() {
      return refused;
    },
    fetch: (async (input, init) => {
      if (refused < passAfter) {
        refused++;
        return new Response(JSON.stringify({ error: "Too many concurrent requests" }), { status: 429 });
      }
      return fetch(input, init);
    }) as typeof fetch,
  };
}

describe("a database too busy to answer", () => {
  it("is asked again, and a request it answers in time succeeds", async () => {
    const crowded = crowdedDatabase(3);
    const response = await callWorkerWith({}, "/api/products?limit=1", {}, databaseThrough(crowded));
    expect(response.status).toBe(200);
    expect(crowded.refused).toBe(3);
  });

  it("answers 503 database_busy with Retry-After once the retry budget is spent, never a 500", async () => {
    const crowded = crowdedDatabase();
    const response = await callWorkerWith({}, "/api/products", {}, databaseThrough(crowded));
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("1");
    expect(await readProblem(response)).toMatchObject({ type: "urn:edge-commerce:problem:database_busy", status: 503 });
    expect(crowded.refused).toBeGreaterThan(1);
  });

  it("a cart write refused for a busy database changes nothing", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 5 });
    const shopper = await signedInUser();
    const response = await callWorkerWith(
      {},
      "/api/cart/items",
      {
        method: "POST",
        headers: { "content-type": "application/json", Authorization: `Bearer ${shopper.tokens.access_token}` },
        body: JSON.stringify({ product_id: product.id, quantity: 1 }),
      },
      databaseThrough(crowdedDatabase()),
    );
    expect(response.status).toBe(503);
    const lines = await testDb()
      .select({ id: cartItems.id })
      .from(cartItems)
      .innerJoin(carts, eq(carts.id, cartItems.cartId))
      .where(eq(carts.userId, shopper.id));
    expect(lines).toEqual([]);
  });
});
