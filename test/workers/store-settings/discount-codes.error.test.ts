import { describe, expect, it } from "vitest";
import { discountRedemptions } from "../../../src/schema";
import { signedInAdmin, testDb, unique } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { adminCall, createDiscountCode, uniqueCode } from "../support/store-settings";
import { readProblem } from "../support/worker";

const problem = (code: string) => `urn:edge-commerce:problem:${code}`;

async function errorPaths(response: Response): Promise<string[] | undefined> {
  expect(response.status).toBe(422);
  return (await readProblem(response)).errors?.map((error) => error.path);
}

describe("admin: discount codes, refused", () => {
  it("a code's text once, whatever its case, deleted codes included: 409 code_taken", async () => {
    const admin = await signedInAdmin();
    const taken = await createDiscountCode(admin);
    const twin = await adminCall(admin, "POST", "/api/admin/discount-codes", {
      code: taken.code.toLowerCase(),
      kind: "fixed",
      value: 100,
    });
    expect(twin.status).toBe(409);
    expect((await readProblem(twin)).type).toBe(problem("code_taken"));

    await adminCall(admin, "DELETE", `/api/admin/discount-codes/${taken.id}`);
    const after = await adminCall(admin, "POST", "/api/admin/discount-codes", {
      code: taken.code,
      kind: "free_shipping",
    });
    expect(after.status).toBe(409);

    const other = await createDiscountCode(admin);
    const renamed = await adminCall(admin, "PATCH", `/api/admin/discount-codes/${other.id}`, { code: taken.code });
    expect((await readProblem(renamed)).type).toBe(problem("code_taken"));
  });

  it("the value by kind: a percentage 1–100, a fixed amount above 0, none for free shipping", async () => {
    const admin = await signedInAdmin();
    for (const [kind, value] of [
      ["percentage", 0],
      ["percentage", 101],
      ["percentage", undefined],
      ["fixed", 0],
      ["fixed", 1.5],
      ["free_shipping", 10],
    ] as const) {
      const response = await adminCall(admin, "POST", "/api/admin/discount-codes", { code: uniqueCode(), kind, value });
      expect(await errorPaths(response), `${kind} ${value}`).toEqual(["body.value"]);
    }
  });

  it("a change is checked against the code as it will be: a new kind needs its value", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin, { kind: "free_shipping", value: 0 });
    const path = `/api/admin/discount-codes/${code.id}`;
    expect(await errorPaths(await adminCall(admin, "PATCH", path, { kind: "fixed" }))).toEqual(["body.value"]);
    expect(await errorPaths(await adminCall(admin, "PATCH", path, { value: 5 }))).toEqual(["body.value"]);
    const window = await adminCall(admin, "PATCH", path, { starts_at: "2030-01-02T00:00:00Z" });
    expect(window.status).toBe(200);
    expect(await errorPaths(await adminCall(admin, "PATCH", path, { ends_at: "2030-01-01T00:00:00Z" }))).toEqual([
      "body.ends_at",
    ]);
  });

  it("targets exactly when the code is not for the whole order, each one existing, by index", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    const post = (body: Record<string, unknown>) =>
      adminCall(admin, "POST", "/api/admin/discount-codes", {
        code: uniqueCode(),
        kind: "percentage",
        value: 5,
        ...body,
      });
    expect(await errorPaths(await post({ applies_to: "products" }))).toEqual(["body.target_ids"]);
    expect(await errorPaths(await post({ target_ids: [product.id] }))).toEqual(["body.target_ids"]);
    const unknown = await post({ applies_to: "products", target_ids: [product.id, "prd_missing"] });
    expect(unknown.status).toBe(422);
    expect((await readProblem(unknown)).errors).toEqual([{ path: "body.target_ids.1", message: "No such product" }]);
    // A product's id is not a category's.
    const wrongKind = await post({ applies_to: "categories", target_ids: [product.id] });
    expect((await readProblem(wrongKind)).errors).toEqual([{ path: "body.target_ids.0", message: "No such category" }]);
    // A change is checked the same way.
    const created = await post({});
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const changed = await adminCall(admin, "PATCH", `/api/admin/discount-codes/${id}`, {
      applies_to: "products",
      target_ids: ["prd_missing"],
    });
    expect(changed.status).toBe(422);
    expect((await readProblem(changed)).errors).toEqual([{ path: "body.target_ids.0", message: "No such product" }]);
  });

  it("codes outside 3–32 letters, digits, - and _; a start not before the end; limits below 1: 422", async () => {
    const admin = await signedInAdmin();
    for (const [body, path] of [
      [{ code: "AB" }, "body.code"],
      [{ code: "A".repeat(33) }, "body.code"],
      [{ code: "TEN OFF" }, "body.code"],
      [{ code: "DIX€" }, "body.code"],
      [{ starts_at: "2030-01-01T00:00:00Z", ends_at: "2030-01-01T00:00:00Z" }, "body.ends_at"],
      [{ starts_at: "tomorrow" }, "body.starts_at"],
      [{ usage_limit: 0 }, "body.usage_limit"],
      [{ per_customer_limit: -1 }, "body.per_customer_limit"],
      [{ minimum_subtotal_amount: -1 }, "body.minimum_subtotal_amount"],
    ] as const) {
      const response = await adminCall(admin, "POST", "/api/admin/discount-codes", {
        code: uniqueCode(),
        kind: "percentage",
        value: 10,
        ...body,
      });
      expect(await errorPaths(response), JSON.stringify(body)).toEqual([path]);
    }
  });

  it("a code an order has used keeps its text: 409 code_in_use, and the rest still changes", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin);
    const now = new Date().toISOString();
    await testDb()
      .insert(discountRedemptions)
      .values({
        id: unique("dr_"),
        codeId: code.id,
        orderId: unique("ord_"),
        customer: "user:x",
        amount: 1,
        createdAt: now,
        releasedAt: now,
      });
    const path = `/api/admin/discount-codes/${code.id}`;
    const renamed = await adminCall(admin, "PATCH", path, { code: uniqueCode() });
    expect(renamed.status).toBe(409);
    expect((await readProblem(renamed)).type).toBe(problem("code_in_use"));
    const same = await adminCall(admin, "PATCH", path, { code: code.code, value: 20 });
    expect(same.status).toBe(200);
  });

  it("unknown codes are 404 on every route; an empty change is a 422", async () => {
    const admin = await signedInAdmin();
    const path = "/api/admin/discount-codes/dsc_missing";
    expect((await adminCall(admin, "GET", path)).status).toBe(404);
    expect((await adminCall(admin, "PATCH", path, { is_active: false })).status).toBe(404);
    expect((await adminCall(admin, "DELETE", path)).status).toBe(404);
    const code = await createDiscountCode(admin);
    expect((await adminCall(admin, "PATCH", `/api/admin/discount-codes/${code.id}`, {})).status).toBe(422);
  });
});
