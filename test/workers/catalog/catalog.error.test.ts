import { describe, expect, it } from "vitest";
import { signedInAdmin, testClient, unique } from "../support/accounts";
import { createProduct, type TestProduct, uniqueCategory } from "../support/catalog";
import { readProblem } from "../support/worker";

interface Page {
  data: { id: string }[];
  next_cursor: string | null;
}

describe("cursor pages", () => {
  for (const sort of ["-created_at", "price", "-price", "name", "relevance"] as const) {
    it(`cover every product exactly once while products are inserted between pages (sort ${sort})`, async () => {
      const admin = await signedInAdmin();
      const category = uniqueCategory();
      const marker = unique("pg").toLowerCase();
      const original: TestProduct[] = [];
      for (let i = 0; i < 7; i++) {
        original.push(
          await createProduct(admin, {
            category,
            name: `${i % 2 ? marker : "item"} ${String.fromCharCode(65 + ((i * 3) % 7))}`,
            description: marker,
            price_amount: 100 + (i % 3) * 50,
          }),
        );
      }
      const query = sort === "relevance" ? `q=${marker}&category=${category}` : `category=${category}&sort=${sort}`;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await testClient().fetch(`/api/products?${query}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        expect(response.status).toBe(200);
        const page = (await response.json()) as Page;
        seen.push(...page.data.map((product) => product.id));
        cursor = page.next_cursor;
        // Inserted while paging: it may or may not appear, but nothing may be duplicated or skipped.
        await createProduct(admin, {
          category,
          name: `${marker} late ${pages}`,
          description: marker,
          price_amount: 175,
        });
        pages++;
      } while (cursor && pages < 20);
      expect(new Set(seen).size).toBe(seen.length);
      for (const product of original) expect(seen, product.name).toContain(product.id);
    });
  }

  it("a cursor from one sort order is refused for another, and a forged cursor is a 422", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    for (let i = 0; i < 3; i++) await createProduct(admin, { category });
    const page = (await (
      await testClient().fetch(`/api/products?category=${category}&sort=price&limit=1`)
    ).json()) as Page;
    const wrongSort = await testClient().fetch(
      `/api/products?category=${category}&sort=name&limit=1&cursor=${page.next_cursor}`,
    );
    expect(wrongSort.status).toBe(422);
    for (const cursor of ["garbage", "WyJwcmljZSJd", "W10"]) {
      expect((await testClient().fetch(`/api/products?cursor=${cursor}`)).status, cursor).toBe(422);
    }
  });
});

describe("catalog query validation", () => {
  it("refuses bad limits, prices, sorts and categories", async () => {
    for (const query of [
      "limit=0",
      "limit=101",
      "limit=1.5",
      "min_price=-1",
      "min_price=abc",
      "max_price=1e12",
      "min_price=500&max_price=100",
      "sort=random",
      "sort=relevance",
      "category=Not_A_Slug",
      "in_stock=yes",
      `q=${"x".repeat(201)}`,
    ]) {
      const response = await testClient().fetch(`/api/products?${query}`);
      expect(response.status, query).toBe(422);
    }
  });
});

describe("admin product validation", () => {
  const VARIANT_FIELDS = new Set(["sku", "price_amount", "initial_stock", "compare_at_amount", "weight_grams"]);

  /** A product whose one field (of the product, or of its one variant) is invalid: 422 naming where. */
  async function expectInvalid(body: Record<string, unknown>, field: string) {
    const admin = await signedInAdmin();
    const variant: Record<string, unknown> = { sku: unique("SKU-"), price_amount: 100 };
    const product: Record<string, unknown> = { name: "Valid" };
    for (const [name, value] of Object.entries(body)) {
      if (VARIANT_FIELDS.has(name)) variant[name] = value;
      else product[name] = value;
    }
    const response = await admin.client.json(
      "POST",
      "/api/admin/products",
      { ...product, variants: [variant] },
      admin.tokens.access_token,
    );
    expect(response.status, JSON.stringify(body)).toBe(422);
    const problem = (await response.json()) as { errors: { path: string }[] };
    const path = VARIANT_FIELDS.has(field) ? `body.variants.0.${field}` : `body.${field}`;
    expect(
      problem.errors.map((error) => error.path),
      JSON.stringify(body),
    ).toContain(path);
  }

  it("prices must be positive integers up to 10^9 in the smallest unit", async () => {
    for (const price_amount of [0, -100, 12.5, "1299", 1_000_000_001, null])
      await expectInvalid({ price_amount }, "price_amount");
  });

  it("sku, name, description, categories and images have their rules", async () => {
    await expectInvalid({ sku: "has space" }, "sku");
    await expectInvalid({ sku: "x".repeat(65) }, "sku");
    await expectInvalid({ sku: "semi;colon" }, "sku");
    await expectInvalid({ name: "" }, "name");
    await expectInvalid({ name: "n".repeat(201) }, "name");
    await expectInvalid({ description: "d".repeat(5001) }, "description");
    await expectInvalid({ category_ids: [""] }, "category_ids.0");
    await expectInvalid({ category_ids: ["cat_unknown"] }, "category_ids");
    await expectInvalid({ images: [{ url: "http://cdn.test/a.jpg" }] }, "images.0.url");
    await expectInvalid({ images: [{ url: "javascript:alert(1)" }] }, "images.0.url");
    await expectInvalid({ images: [{ url: `https://cdn.test/${"a".repeat(2048)}` }] }, "images.0.url");
    await expectInvalid({ initial_stock: -1 }, "initial_stock");
    await expectInvalid({ compare_at_amount: 100 }, "compare_at_amount");
  });

  it("unknown fields (currency, stock_available, id, deleted_at) are refused, on the product and on a variant", async () => {
    for (const field of ["currency", "stock_available", "stock_version", "id", "deleted_at"]) {
      await expectInvalid({ [field]: field === "currency" ? "eur" : 5 }, field);
    }
    for (const field of ["stock_available", "stock_version", "id", "product_id", "title", "option_values"]) {
      const admin = await signedInAdmin();
      const response = await admin.client.json(
        "POST",
        "/api/admin/products",
        { name: "Valid", variants: [{ sku: unique("SKU-"), price_amount: 100, [field]: 5 }] },
        admin.tokens.access_token,
      );
      expect(response.status, field).toBe(422);
      expect(((await response.json()) as { errors: { path: string }[] }).errors.map((error) => error.path)).toContain(
        `body.variants.0.${field}`,
      );
    }
  });

  it("PATCH follows the same rules and refuses an empty change", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    for (const body of [{ price_amount: 0 }, { price_amount: -1 }, { sku: "bad sku" }, { currency: "eur" }, {}]) {
      const response = await admin.client.json(
        "PATCH",
        `/api/admin/variants/${product.variant_id}`,
        body,
        admin.tokens.access_token,
      );
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
  });

  it("a sku already used, in any case, is a 409 on create and on update", async () => {
    const admin = await signedInAdmin();
    const existing = await createProduct(admin);
    const other = await createProduct(admin);
    const create = await admin.client.json(
      "POST",
      "/api/admin/products",
      { name: "Dup", variants: [{ sku: existing.sku.toLowerCase(), price_amount: 100 }] },
      admin.tokens.access_token,
    );
    expect(create.status).toBe(409);
    expect((await readProblem(create)).type).toBe("urn:edge-commerce:problem:sku_conflict");
    const update = await admin.client.json(
      "PATCH",
      `/api/admin/variants/${other.variant_id}`,
      { sku: existing.sku },
      admin.tokens.access_token,
    );
    expect(update.status).toBe(409);
    expect((await readProblem(update)).type).toBe("urn:edge-commerce:problem:sku_conflict");
  });
});
