import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../../src/schema";
import { signedInAdmin, testClient, testDb, unique } from "../support/accounts";
import { categoryId, createProduct, type TestProduct, uniqueCategory } from "../support/catalog";

describe("admin: products", () => {
  it("creates with 201, a Location, the store currency and the submitted fields", async () => {
    const admin = await signedInAdmin();
    const sku = unique("TEA-");
    const category = await categoryId(unique("tea-").toLowerCase());
    const response = await admin.client.json(
      "POST",
      "/api/admin/products",
      {
        name: "  Earl Grey  ",
        description: "Bergamot",
        variants: [{ sku, price_amount: 1299, compare_at_amount: 1499, weight_grams: 100 }],
        category_ids: [category],
        images: [{ url: "https://cdn.test/tea.jpg", alt: "A tin" }],
      },
      admin.tokens.access_token,
    );
    expect(response.status).toBe(201);
    const product = (await response.json()) as TestProduct;
    expect(response.headers.get("location")).toBe(`/api/admin/products/${product.id}`);
    expect(product).toMatchObject({
      name: "Earl Grey",
      description: "Bergamot",
      currency: "usd",
      price_min_amount: 1299,
      price_max_amount: 1299,
      options: [],
      categories: [{ id: category }],
      images: [{ url: "https://cdn.test/tea.jpg", alt: "A tin", variant_id: null }],
      is_active: true,
      deleted_at: null,
    });
    expect(product.variants).toEqual([
      expect.objectContaining({
        sku,
        title: "Default",
        options: {},
        price_amount: 1299,
        compare_at_amount: 1499,
        weight_grams: 100,
        stock_available: 0,
        is_active: true,
        deleted_at: null,
      }),
    ]);
    expect(product.id).toMatch(/^prd_/);
    expect(product.variants[0]?.id).toMatch(/^var_/);
  });

  it("soft delete hides a product from the catalog and admin filters; restore brings it back; both are audited", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    const product = await createProduct(admin);
    expect((await admin.client.fetch(`/api/admin/products/${product.id}`, { method: "DELETE", token })).status).toBe(
      204,
    );
    expect((await testClient().fetch(`/api/products/${product.id}`)).status).toBe(404);

    const deleted = await admin.client.fetch(`/api/admin/products/${product.id}`, { token });
    expect(((await deleted.json()) as TestProduct).deleted_at).not.toBeNull();
    const listDeleted = await admin.client.fetch(`/api/admin/products?status=deleted&q=${product.sku}`, { token });
    expect(((await listDeleted.json()) as { data: TestProduct[] }).data.map((p) => p.id)).toEqual([product.id]);
    const listActive = await admin.client.fetch(`/api/admin/products?status=active&q=${product.sku}`, { token });
    expect(((await listActive.json()) as { data: TestProduct[] }).data).toEqual([]);

    const restored = await admin.client.fetch(`/api/admin/products/${product.id}/restore`, { method: "POST", token });
    expect(restored.status).toBe(200);
    expect((await testClient().fetch(`/api/products/${product.id}`)).status).toBe(200);

    const actions = (
      await testDb()
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.targetType, "product"), eq(auditEvents.targetId, product.id)))
    ).map((event) => event.action);
    expect(actions.sort()).toEqual(["product.created", "product.deleted", "product.restored"]);
  });

  it("PATCH changes fields and records from/to in the audit trail, for a product and for its variant", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    const product = await createProduct(admin, { price_amount: 1000 });
    const response = await admin.client.json(
      "PATCH",
      `/api/admin/products/${product.id}`,
      { name: "Renamed", is_active: false },
      token,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: "Renamed", is_active: false });
    const repriced = await admin.client.json(
      "PATCH",
      `/api/admin/variants/${product.variant_id}`,
      { price_amount: 1250 },
      token,
    );
    expect(repriced.status).toBe(200);
    expect(await repriced.json()).toMatchObject({ id: product.variant_id, price_amount: 1250 });
    const [event] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "product.updated"), eq(auditEvents.targetId, product.id)));
    expect(event?.details).toEqual({
      changes: { name: { from: product.name, to: "Renamed" }, is_active: { from: true, to: false } },
    });
    const [variantEvent] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "variant.updated"), eq(auditEvents.targetId, product.variant_id)));
    expect(variantEvent?.details).toEqual({
      product_id: product.id,
      changes: { price_amount: { from: 1000, to: 1250 } },
    });
  });

  it("unknown product ids are 404 for every admin product route", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    expect((await admin.client.fetch("/api/admin/products/prd_missing", { token })).status).toBe(404);
    expect((await admin.client.json("PATCH", "/api/admin/products/prd_missing", { name: "x" }, token)).status).toBe(
      404,
    );
    expect((await admin.client.fetch("/api/admin/products/prd_missing", { method: "DELETE", token })).status).toBe(404);
    expect(
      (await admin.client.fetch("/api/admin/products/prd_missing/restore", { method: "POST", token })).status,
    ).toBe(404);
  });

  it("PUT images sets them in order, each optionally for a variant of this product; shoppers see those of variants for sale", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    const category = uniqueCategory();
    const mug = await createProduct(admin, {
      category,
      options: [{ name: "Colour", values: ["Red", "Blue"] }],
      variants: [
        { sku: unique("MUG-R-"), price_amount: 900, options: { Colour: "Red" } },
        { sku: unique("MUG-B-"), price_amount: 900, options: { Colour: "Blue" } },
      ],
    });
    const other = await createProduct(admin);
    const [red, blue] = mug.variants;
    if (!red || !blue) throw new Error("two variants were made");
    const images = [
      { url: "https://cdn.test/mug-blue.jpg", alt: "Blue mug", variant_id: blue.id },
      { url: "https://cdn.test/mug.jpg", alt: "Both mugs" },
      { url: "https://cdn.test/mug-red.jpg", alt: "Red mug", variant_id: red.id },
    ];
    const put = await admin.client.json("PUT", `/api/admin/products/${mug.id}/images`, { images }, token);
    expect(put.status).toBe(200);
    expect(((await put.json()) as TestProduct).images).toEqual([
      images[0],
      { ...images[1], variant_id: null },
      images[2],
    ]);

    const foreign = await admin.client.json(
      "PUT",
      `/api/admin/products/${mug.id}/images`,
      { images: [{ url: "https://cdn.test/x.jpg", variant_id: other.variant_id }] },
      token,
    );
    expect(foreign.status).toBe(422);
    expect(((await foreign.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("body.images.0.variant_id");

    const shopperGet = async <T>(path: string) =>
      (await (await testClient().fetch(`https://${unique("img").toLowerCase()}.api.test${path}`)).json()) as T;
    const thumbnail = async () =>
      (await shopperGet<{ data: { image: { url: string } | null }[] }>(`/api/products?category=${category}`)).data[0]
        ?.image?.url;
    expect(await thumbnail()).toBe("https://cdn.test/mug-blue.jpg");

    // Blue off sale: its image leaves the page and the lists' thumbnail.
    await admin.client.json("PATCH", `/api/admin/variants/${blue.id}`, { is_active: false }, token);
    const page = await shopperGet<TestProduct>(`/api/products/${mug.id}`);
    expect(page.images.map((image) => image.url)).toEqual(["https://cdn.test/mug.jpg", "https://cdn.test/mug-red.jpg"]);
    expect(await thumbnail()).toBe("https://cdn.test/mug.jpg");

    const cleared = await admin.client.json("PUT", `/api/admin/products/${mug.id}/images`, { images: [] }, token);
    expect(((await cleared.json()) as TestProduct).images).toEqual([]);
  });
});
