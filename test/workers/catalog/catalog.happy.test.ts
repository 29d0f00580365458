import { describe, expect, it } from "vitest";
import { signedInAdmin, testClient } from "../support/accounts";
import { createProduct, setStockMirror, type TestProduct, uniqueCategory } from "../support/catalog";

interface Page {
  data: { id: string; name: string; price_min_amount: number; price_max_amount: number; in_stock: boolean }[];
  next_cursor: string | null;
}

async function list(query: string): Promise<Page> {
  const response = await testClient().fetch(`/api/products?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Page;
}

describe("the public catalog", () => {
  it("lists active products of a category, newest first, without internal fields", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const first = await createProduct(admin, { category, name: "First kettle" });
    const second = await createProduct(admin, { category, name: "Second kettle" });
    await createProduct(admin, { category, name: "Hidden kettle", is_active: false });
    const page = await list(`category=${category}`);
    expect(page.data.map((product) => product.id)).toEqual([second.id, first.id]);
    const text = JSON.stringify(page);
    expect(text).not.toContain("deleted_at");
    expect(text).not.toContain("stock_version");
    expect(text).not.toContain("is_active");
  });

  it("filters by price and stock and sorts by price, name and date, ties broken by id", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const made: TestProduct[] = [];
    for (const [name, price] of [
      ["Bravo", 500],
      ["Alpha", 300],
      ["Charlie", 300],
      ["Delta", 900],
    ] as const) {
      made.push(await createProduct(admin, { category, name, price_amount: price }));
    }
    await setStockMirror(made[0]?.variant_id ?? "", 4);
    await setStockMirror(made[3]?.variant_id ?? "", 1);

    const byPrice = await list(`category=${category}&sort=price`);
    const cheapest = [made[1], made[2]].map((product) => product?.id ?? "").sort();
    expect(byPrice.data.map((p) => p.id)).toEqual([...cheapest, made[0]?.id, made[3]?.id]);
    const byPriceDesc = await list(`category=${category}&sort=-price`);
    expect(byPriceDesc.data.map((p) => p.price_max_amount)).toEqual([900, 500, 300, 300]);
    const byName = await list(`category=${category}&sort=name`);
    expect(byName.data.map((p) => p.name)).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
    const filtered = await list(`category=${category}&min_price=300&max_price=500&in_stock=true`);
    expect(filtered.data.map((p) => p.name)).toEqual(["Bravo"]);
  });

  it("searches name, description and sku, most relevant first, accent-insensitively", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const marker = `zq${Date.now().toString(36)}`;
    const inName = await createProduct(admin, { category, name: `${marker} crème brûlée torch` });
    const inDescription = await createProduct(admin, {
      category,
      name: "Kitchen torch",
      description: `Great for ${marker} desserts`,
    });
    const inSku = await createProduct(admin, { category, name: "Butane refill", sku: `${marker.toUpperCase()}-GAS` });
    await createProduct(admin, { category, name: "Unrelated whisk" });

    const results = await list(`q=${marker}`);
    expect(results.data.map((p) => p.id)).toEqual([inName.id, inSku.id, inDescription.id]);
    const accents = await list(`q=${encodeURIComponent(`${marker} creme brulee`)}`);
    expect(accents.data.map((p) => p.id)).toEqual([inName.id]);
    const prefix = await list(`q=${marker.slice(0, -2)}&category=${category}`);
    expect(prefix.data).toHaveLength(3);
  });

  it("FTS syntax and SQL in the query are only text: they never break, widen or change the query", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    const marker = `zq${Date.now().toString(36)}fts`;
    // Letters-only skus: a random one could hold a word starting with "1", which `'1'='1` (as text) would match.
    const alpha = await createProduct(admin, { category, name: `${marker} alpha kettle`, sku: `${marker}-A` });
    const beta = await createProduct(admin, { category, name: `${marker} beta kettle`, sku: `${marker}-B` });
    for (const q of [
      '"',
      "*",
      "OR",
      "NEAR(",
      'say "hello',
      "a AND",
      "(",
      "^",
      "-",
      "col:term",
      "'; DROP TABLE products; --",
      "\\",
    ]) {
      const response = await testClient().fetch(`/api/products?q=${encodeURIComponent(q)}&category=${category}`);
      expect(response.status, q).toBe(200);
      // Operators alone are no words: they match nothing rather than everything.
      expect(((await response.json()) as Page).data, q).toEqual([]);
    }
    // Live operators would widen (OR, a bare *), narrow (NOT) or escape the query (SQL quoting); as text, every
    // word is one more required term.
    const byName = (page: Page) => page.data.map((product) => product.id);
    expect(byName(await list(`q=${encodeURIComponent(`${marker} alpha`)}`))).toEqual([alpha.id]);
    for (const q of [
      `${marker} alpha OR beta`,
      `${marker} NOT alpha`,
      `${marker}' OR '1'='1`,
      `${marker} alpha") OR ("beta`,
      `name:${marker}`,
    ]) {
      expect(byName(await list(`q=${encodeURIComponent(q)}&category=${category}`)), q).toEqual([]);
    }
    // The table survived the DROP attempt, with both products still found by their shared word.
    expect(byName(await list(`q=${marker}&category=${category}`)).sort()).toEqual([alpha.id, beta.id].sort());
  });

  it("GET /api/products/{id} serves an active product and 404s inactive, deleted or unknown ones", async () => {
    const admin = await signedInAdmin();
    const active = await createProduct(admin);
    const inactive = await createProduct(admin, { is_active: false });
    const deleted = await createProduct(admin);
    await admin.client.fetch(`/api/admin/products/${deleted.id}`, {
      method: "DELETE",
      token: admin.tokens.access_token,
    });
    expect((await testClient().fetch(`/api/products/${active.id}`)).status).toBe(200);
    for (const id of [inactive.id, deleted.id, "prd_unknown"]) {
      expect((await testClient().fetch(`/api/products/${id}`)).status, id).toBe(404);
    }
  });

  it("lists categories of products for sale with counts", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    await createProduct(admin, { category });
    await createProduct(admin, { category });
    await createProduct(admin, { category, is_active: false });
    const response = await testClient().fetch("/api/categories");
    const { data } = (await response.json()) as { data: { slug: string; product_count: number }[] };
    expect(data).toContainEqual(expect.objectContaining({ slug: category, product_count: 2 }));
  });
});

describe("caching", () => {
  it("public responses carry a strong ETag and revalidate-always Cache-Control; If-None-Match gives 304", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    const client = testClient();
    const first = await client.fetch(`/api/products/${product.id}`);
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"[^"]+"$/);
    // Clients revalidate every time, so none of them serves past the edge cache's freshness bound.
    expect(first.headers.get("cache-control")).toBe("public, no-cache");
    const again = await client.fetch(`/api/products/${product.id}`, {
      headers: { "If-None-Match": tag ?? "", Origin: "https://shop.test" },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(tag);
    // A 304 is still an answer of this API: it carries its request id, and a page that asked may read it.
    expect(again.headers.get("x-request-id")).toMatch(/.+/);
    expect(again.headers.get("access-control-allow-origin")).toBe("https://shop.test");

    await admin.client.json(
      "PATCH",
      `/api/admin/variants/${product.variant_id}`,
      { price_amount: 999 },
      admin.tokens.access_token,
    );
    const changed = await client.fetch(`/api/products/${product.id}`, { headers: { "If-None-Match": tag ?? "" } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
  });

  it("a request with credentials is never cacheable", async () => {
    const admin = await signedInAdmin();
    const response = await testClient().fetch("/api/products?limit=1", { token: admin.tokens.access_token });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
