import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../../src/schema";
import { signedInAdmin, testClient, testDb, unique } from "../support/accounts";
import { createProduct, type TestProduct } from "../support/catalog";

describe("admin: products", () => {
  it("creates with 201, a Location, the store currency and the submitted fields", async () => {
    const admin = await signedInAdmin();
    const sku = unique("TEA-");
    const response = await admin.client.json(
      "POST",
      "/api/admin/products",
      {
        sku,
        name: "  Earl Grey  ",
        description: "Bergamot",
        price_amount: 1299,
        category: "tea",
        image_url: "https://cdn.test/tea.jpg",
      },
      admin.tokens.access_token,
    );
    expect(response.status).toBe(201);
    const product = (await response.json()) as TestProduct;
    expect(response.headers.get("location")).toBe(`/api/admin/products/${product.id}`);
    expect(product).toMatchObject({
      sku,
      name: "Earl Grey",
      description: "Bergamot",
      price_amount: 1299,
      currency: "usd",
      category: "tea",
      image_url: "https://cdn.test/tea.jpg",
      is_active: true,
      stock_available: 0,
      deleted_at: null,
    });
    expect(product.id).toMatch(/^prd_/);
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

  it("PATCH changes fields and records from/to in the audit trail", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { price_amount: 1000 });
    const response = await admin.client.json(
      "PATCH",
      `/api/admin/products/${product.id}`,
      { price_amount: 1250, is_active: false },
      admin.tokens.access_token,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ price_amount: 1250, is_active: false });
    const [event] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "product.updated"), eq(auditEvents.targetId, product.id)));
    expect(event?.details).toEqual({
      changes: { price_amount: { from: 1000, to: 1250 }, is_active: { from: true, to: false } },
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
});
