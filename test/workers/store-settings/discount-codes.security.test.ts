import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { discountCodes } from "../../../src/schema";
import { signedInAdmin, signedInUser, testClient, testDb } from "../support/accounts";
import {
  adminCall,
  createDiscountCode,
  createShippingZone,
  createTaxRate,
  uniqueCode,
  uniqueRegion,
} from "../support/store-settings";
import { readProblem } from "../support/worker";

describe("store settings routes: who may call them", () => {
  it("anonymous callers get 401 and signed-in non-admins 403 on every route, and nothing changes", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin, { is_active: true });
    const zone = await createShippingZone(admin, {
      countries: ["SI"],
      methods: [{ name: "Post", rate_kind: "flat", amount: 300 }],
    });
    const [method] = zone.methods;
    const rate = await createTaxRate(admin, { country: "SI", region: uniqueRegion() });
    const routes = [
      ["GET", "/api/admin/discount-codes", undefined],
      ["POST", "/api/admin/discount-codes", { code: uniqueCode(), kind: "percentage", value: 100 }],
      ["GET", `/api/admin/discount-codes/${code.id}`, undefined],
      ["PATCH", `/api/admin/discount-codes/${code.id}`, { value: 100 }],
      ["DELETE", `/api/admin/discount-codes/${code.id}`, undefined],
      ["GET", "/api/admin/shipping-zones", undefined],
      ["POST", "/api/admin/shipping-zones", { name: "Intruder", countries: ["SK"] }],
      ["GET", `/api/admin/shipping-zones/${zone.id}`, undefined],
      ["PATCH", `/api/admin/shipping-zones/${zone.id}`, { countries: [] }],
      ["DELETE", `/api/admin/shipping-zones/${zone.id}`, undefined],
      ["POST", `/api/admin/shipping-zones/${zone.id}/methods`, { name: "Free", rate_kind: "flat", amount: 0 }],
      ["PATCH", `/api/admin/shipping-methods/${method?.id}`, { amount: 0 }],
      ["DELETE", `/api/admin/shipping-methods/${method?.id}`, undefined],
      ["GET", "/api/admin/tax-rates", undefined],
      ["POST", "/api/admin/tax-rates", { country: "SK", name: "None", rate_bps: 0 }],
      ["PATCH", `/api/admin/tax-rates/${rate.id}`, { rate_bps: 0 }],
      ["DELETE", `/api/admin/tax-rates/${rate.id}`, undefined],
    ] as const;
    const user = await signedInUser();
    const anonymous = testClient();
    for (const [method, path, body] of routes) {
      const init =
        body === undefined
          ? { method }
          : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      expect((await anonymous.fetch(path, init)).status, `${method} ${path}`).toBe(401);
      expect((await user.client.fetch(path, { ...init, token: user.tokens.access_token })).status).toBe(403);
    }
    expect(await (await adminCall(admin, "GET", `/api/admin/discount-codes/${code.id}`)).json()).toEqual(code);
    expect(await (await adminCall(admin, "GET", `/api/admin/shipping-zones/${zone.id}`)).json()).toEqual(zone);
    const rates = (await (await adminCall(admin, "GET", "/api/admin/tax-rates?country=SI")).json()) as {
      data: unknown[];
    };
    expect(rates.data).toContainEqual(rate);
  });
});

describe("discount codes: mass assignment and races", () => {
  it("times_used, id, deleted_at and other fields the store keeps itself are refused as unknown (422)", async () => {
    const admin = await signedInAdmin();
    const code = await createDiscountCode(admin);
    const forged = { times_used: 99, id: "dsc_forged", deleted_at: "2000-01-01T00:00:00Z", created_at: "2000-01-01" };
    for (const [field, value] of Object.entries(forged)) {
      const created = await adminCall(admin, "POST", "/api/admin/discount-codes", {
        code: uniqueCode(),
        kind: "percentage",
        value: 10,
        [field]: value,
      });
      expect(created.status, field).toBe(422);
      expect((await readProblem(created)).errors).toEqual([{ path: `body.${field}`, message: "Unknown field" }]);
      const patched = await adminCall(admin, "PATCH", `/api/admin/discount-codes/${code.id}`, { [field]: value });
      expect(patched.status, field).toBe(422);
    }
    const [row] = await testDb().select().from(discountCodes).where(eq(discountCodes.id, code.id));
    expect(row?.deletedAt).toBeNull();
  });

  it("the same code created 10 times at once: exactly one 201, the others 409 code_taken", async () => {
    const admin = await signedInAdmin();
    const code = uniqueCode("RACE-");
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        adminCall(admin, "POST", "/api/admin/discount-codes", {
          code: i % 2 === 0 ? code : code.toLowerCase(),
          kind: "percentage",
          value: 10,
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    const rows = await testDb().select().from(discountCodes).where(eq(discountCodes.code, code));
    const lower = await testDb().select().from(discountCodes).where(eq(discountCodes.code, code.toLowerCase()));
    expect(rows.length + lower.length).toBe(1);
  });

  it("zones claiming the same country at once: one wins, the others are 409 country_in_other_zone", async () => {
    const admin = await signedInAdmin();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        adminCall(admin, "POST", "/api/admin/shipping-zones", { name: `Claim ${i}`, countries: ["CY"] }),
      ),
    );
    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(1);
    for (const refused of responses.filter((response) => response.status !== 201)) {
      expect(refused.status).toBe(409);
      expect((await readProblem(refused)).type).toBe("urn:edge-commerce:problem:country_in_other_zone");
    }
  });
});
