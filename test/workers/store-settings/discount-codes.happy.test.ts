import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, discountCodes, discountRedemptions } from "../../../src/schema";
import { signedInAdmin, testDb, unique } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { createCategory } from "../support/categories";
import {
  type AdminDiscountCode,
  adminCall,
  createDiscountCode,
  expectBody,
  uniqueCode,
} from "../support/store-settings";

type Page = { data: AdminDiscountCode[]; next_cursor: string | null };

/** A use of the code by an order, as checkout writes it; `released` as an ended order gives it back. */
async function redeem(codeId: string, released = false): Promise<void> {
  const now = new Date().toISOString();
  await testDb()
    .insert(discountRedemptions)
    .values({
      id: unique("dr_"),
      codeId,
      orderId: unique("ord_"),
      customer: `user:${unique()}`,
      amount: 100,
      createdAt: now,
    });
  if (released) {
    await testDb().update(discountRedemptions).set({ releasedAt: now }).where(eq(discountRedemptions.codeId, codeId));
  }
}

describe("admin: discount codes", () => {
  it("creates a percentage code with every field, shows it, and records who made it", async () => {
    const admin = await signedInAdmin();
    const body = {
      code: uniqueCode("Spring-"),
      kind: "percentage",
      value: 15,
      minimum_subtotal_amount: 5000,
      starts_at: "2030-03-01T00:00:00+01:00",
      ends_at: "2030-04-01T00:00:00Z",
      usage_limit: 100,
      per_customer_limit: 1,
      is_active: false,
    };
    const response = await adminCall(admin, "POST", "/api/admin/discount-codes", body);
    const created = await expectBody<AdminDiscountCode>(response, 201);
    expect(response.headers.get("location")).toBe(`/api/admin/discount-codes/${created.id}`);
    expect(created).toMatchObject({
      ...body,
      id: expect.stringMatching(/^dsc_[0-9a-z]{25}$/),
      applies_to: "order",
      target_ids: [],
      // Instants are kept in UTC, as the database compares them.
      starts_at: "2030-02-28T23:00:00.000Z",
      ends_at: "2030-04-01T00:00:00.000Z",
      times_used: 0,
    });
    expect(await expectBody(await adminCall(admin, "GET", `/api/admin/discount-codes/${created.id}`), 200)).toEqual(
      created,
    );
    const [entry] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, created.id), eq(auditEvents.action, "discount_code.created")));
    expect(entry?.actorId).toBe(admin.id);
  });

  it("a fixed amount on some products, a free-shipping code without a value, and one on a category", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    const category = await createCategory(admin);
    const fixed = await createDiscountCode(admin, {
      kind: "fixed",
      value: 500,
      applies_to: "products",
      target_ids: [product.id, product.id],
    });
    expect(fixed).toMatchObject({ kind: "fixed", value: 500, applies_to: "products", target_ids: [product.id] });
    const free = await createDiscountCode(admin, { kind: "free_shipping", value: undefined });
    expect(free).toMatchObject({ kind: "free_shipping", value: 0 });
    const onCategory = await createDiscountCode(admin, { applies_to: "categories", target_ids: [category.id] });
    expect(onCategory.target_ids).toEqual([category.id]);
  });

  it("times_used counts the uses held now, not those given back", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin);
    await redeem(code.id, true);
    await redeem(code.id);
    await redeem(code.id);
    const shown = await expectBody<AdminDiscountCode>(
      await adminCall(admin, "GET", `/api/admin/discount-codes/${code.id}`),
      200,
    );
    expect(shown.times_used).toBe(2);
  });

  it("lists codes newest first, page by page, and finds them by the start of their code in any case", async () => {
    const admin = await signedInAdmin();
    const prefix = uniqueCode("L");
    const made = [];
    for (const suffix of ["-A", "-B", "-C"]) made.push(await createDiscountCode(admin, { code: `${prefix}${suffix}` }));
    await createDiscountCode(admin, { code: `X${prefix}` });

    const first = await expectBody<Page>(
      await adminCall(admin, "GET", `/api/admin/discount-codes?q=${prefix.toLowerCase()}&limit=2`),
      200,
    );
    expect(first.data.map((code) => code.code)).toEqual([`${prefix}-C`, `${prefix}-B`]);
    const second = await expectBody<Page>(
      await adminCall(admin, "GET", `/api/admin/discount-codes?q=${prefix}&limit=2&cursor=${first.next_cursor}`),
      200,
    );
    expect(second).toEqual({ data: [made[0]], next_cursor: null });
  });

  it("a percent sign or underscore in q is matched literally", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin, { code: uniqueCode("U_") });
    const literal = await expectBody<Page>(await adminCall(admin, "GET", "/api/admin/discount-codes?q=u_"), 200);
    expect(literal.data.map((found) => found.id)).toContain(code.id);
    expect(literal.data.every((found) => found.code.startsWith("U_"))).toBe(true);
    const wildcard = await expectBody<Page>(await adminCall(admin, "GET", "/api/admin/discount-codes?q=%25"), 200);
    expect(wildcard.data).toEqual([]);
  });

  it("a change keeps the rules for the code as changed: percentage to free shipping drops the value", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin);
    const renamed = uniqueCode("New-");
    const changed = await expectBody<AdminDiscountCode>(
      await adminCall(admin, "PATCH", `/api/admin/discount-codes/${code.id}`, {
        code: renamed,
        kind: "free_shipping",
        usage_limit: null,
        ends_at: "2031-01-01T00:00:00Z",
      }),
      200,
    );
    expect(changed).toMatchObject({
      code: renamed,
      kind: "free_shipping",
      value: 0,
      ends_at: "2031-01-01T00:00:00.000Z",
    });
    const [entry] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, code.id), eq(auditEvents.action, "discount_code.updated")));
    expect(entry?.details).toMatchObject({ changes: { code: { from: code.code, to: renamed } } });
  });

  it("a delete is soft: the code leaves the admin's views, its row and its text stay", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin);
    expect((await adminCall(admin, "DELETE", `/api/admin/discount-codes/${code.id}`)).status).toBe(204);
    expect((await adminCall(admin, "GET", `/api/admin/discount-codes/${code.id}`)).status).toBe(404);
    const listed = await expectBody<Page>(
      await adminCall(admin, "GET", `/api/admin/discount-codes?q=${code.code}`),
      200,
    );
    expect(listed.data).toEqual([]);
    const [row] = await testDb().select().from(discountCodes).where(eq(discountCodes.id, code.id));
    expect(row?.deletedAt).not.toBeNull();
    expect((await adminCall(admin, "DELETE", `/api/admin/discount-codes/${code.id}`)).status).toBe(404);
  });
});
