import { describe, expect, it } from "vitest";
import { CATALOG_FRESH_SECONDS } from "../../../src/modules/catalog/edge-cache";
import type { ServiceOverrides } from "../../../src/services";
import { randomIp, signedInAdmin, unique } from "../support/accounts";
import { createProduct, setStockMirror, uniqueCategory } from "../support/catalog";
import { countingDatabase } from "../support/round-trips";
import { callWorkerWith } from "../support/worker";

/** An anonymous shopper's GET through the Worker, with the database (and optionally the clock) replaced. */
function shopperGet(path: string, services: ServiceOverrides, headers: Record<string, string> = {}) {
  return callWorkerWith({}, path, { headers: { "CF-Connecting-IP": randomIp(), ...headers } }, services);
}

/** The same services with the clock moved forward by `seconds`. */
function later(services: ServiceOverrides, seconds: number): ServiceOverrides {
  return (real) => ({ ...services(real), clock: { now: () => new Date(Date.now() + seconds * 1000) } });
}

/** An origin of this test's own: answers keyed by a path every test shares (/api/categories) stay this test's. */
function ownOrigin(): string {
  return `https://${unique("t").toLowerCase()}.api.test`;
}

describe("the catalog at the edge", () => {
  it("a product page costs one database round trip cold and none warm, with the same answer", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    const db = countingDatabase();

    const cold = await shopperGet(`/api/products/${product.id}`, db.overrides);
    expect(cold.status).toBe(200);
    expect(db.trips()).toBe(1);
    const warm = await shopperGet(`/api/products/${product.id}`, db.overrides);
    expect(warm.status).toBe(200);
    expect(db.trips()).toBe(1);
    expect(await warm.json()).toEqual(await cold.json());
    expect(warm.headers.get("content-type")).toBe(cold.headers.get("content-type"));
    expect(warm.headers.get("cache-control")).toBe("public, no-cache");
  });

  it("a filtered, sorted list page and a search cost one round trip cold and none warm", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const word = `zq${unique().toLowerCase()}`;
    await createProduct(admin, { category, name: `${word} kettle`, price_amount: 700 });
    await createProduct(admin, { category, name: "Teapot", price_amount: 300 });
    const db = countingDatabase();

    for (const path of [`/api/products?category=${category}&sort=price&limit=5`, `/api/products?q=${word}`]) {
      const before = db.trips();
      const cold = await shopperGet(path, db.overrides);
      expect(cold.status, path).toBe(200);
      expect(db.trips() - before, path).toBe(1);
      const warm = await shopperGet(path, db.overrides);
      expect(db.trips() - before, path).toBe(1);
      expect(await warm.json(), path).toEqual(await cold.json());
    }
  });

  it("the categories cost one round trip cold and none warm", async () => {
    const origin = ownOrigin();
    const db = countingDatabase();
    const cold = await shopperGet(`${origin}/api/categories`, db.overrides);
    expect(cold.status).toBe(200);
    expect(db.trips()).toBe(1);
    const warm = await shopperGet(`${origin}/api/categories`, db.overrides);
    expect(db.trips()).toBe(1);
    expect(await warm.json()).toEqual(await cold.json());
  });

  it("If-None-Match is answered 304 from the cache, with no round trip", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    const db = countingDatabase();
    const cold = await shopperGet(`/api/products/${product.id}`, db.overrides);
    const tag = cold.headers.get("etag") ?? "";
    expect(tag).toMatch(/^"[^"]+"$/);

    const revalidated = await shopperGet(`/api/products/${product.id}`, db.overrides, { "If-None-Match": tag });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    expect(revalidated.headers.get("etag")).toBe(tag);
    expect(revalidated.headers.get("cache-control")).toBe("public, no-cache");
    expect(db.trips()).toBe(1);
  });

  it("an admin change to a product shows at once on its page and in the categories of this data center", async () => {
    const origin = ownOrigin();
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const product = await createProduct(admin, { category, price_amount: 1500 });
    const db = countingDatabase();
    const countIn = async () =>
      (
        (await (await shopperGet(`${origin}/api/categories`, db.overrides)).json()) as {
          data: { slug: string; product_count: number }[];
        }
      ).data.find((entry) => entry.slug === category)?.product_count;
    await shopperGet(`${origin}/api/products/${product.id}`, db.overrides);
    expect(await countIn()).toBe(1);
    const tripsWhenWarm = db.trips();

    const repriced = await admin.client.json(
      "PATCH",
      `${origin}/api/admin/variants/${product.variant_id}`,
      { price_amount: 990 },
      admin.tokens.access_token,
    );
    expect(repriced.status).toBe(200);
    const uncategorized = await admin.client.json(
      "PATCH",
      `${origin}/api/admin/products/${product.id}`,
      { category_ids: [] },
      admin.tokens.access_token,
    );
    expect(uncategorized.status).toBe(200);

    const page = await shopperGet(`${origin}/api/products/${product.id}`, db.overrides);
    expect(await page.json()).toMatchObject({ price_min_amount: 990, categories: [] });
    expect(await countIn()).toBe(0);
    expect(db.trips()).toBe(tripsWhenWarm + 2);
  });

  it(`lists and mirrored stock levels are fresh again within ${CATALOG_FRESH_SECONDS} seconds`, async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const product = await createProduct(admin, { category, initial_stock: 5 });
    const db = countingDatabase();
    const listPath = `/api/products?category=${category}`;
    const inStock = async (response: Response) =>
      ((await response.json()) as { data: { in_stock: boolean }[] }).data[0]?.in_stock;
    expect(await inStock(await shopperGet(listPath, db.overrides))).toBe(true);

    // The inventory object writes the mirror straight to the database: the catalog is not told.
    await setStockMirror(product.variant_id, 0);
    const beforeBound = await shopperGet(listPath, later(db.overrides, CATALOG_FRESH_SECONDS - 1));
    expect(await inStock(beforeBound)).toBe(true);
    const afterBound = await shopperGet(listPath, later(db.overrides, CATALOG_FRESH_SECONDS));
    expect(await inStock(afterBound)).toBe(false);
    expect(db.trips()).toBe(2);
  });
});
