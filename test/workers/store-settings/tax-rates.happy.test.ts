import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { adminCall, createTaxRate, expectBody, type TaxRate, uniqueRegion } from "../support/store-settings";

describe("admin: tax rates", () => {
  it("a country's rate and a region's (upper-cased), listed by country with the whole country first", async () => {
    const admin = await signedInAdmin();
    const region = uniqueRegion();
    const regional = await createTaxRate(admin, {
      country: "mt",
      region: region.toLowerCase(),
      name: "Island VAT",
      rate_bps: 700,
    });
    const whole = await createTaxRate(admin, { country: "MT", rate_bps: 1800 });
    expect(whole).toMatchObject({
      id: expect.stringMatching(/^txr_/),
      country: "MT",
      region: "",
      name: "VAT",
      rate_bps: 1800,
    });
    expect(regional).toMatchObject({ country: "MT", region, rate_bps: 700 });

    const { data } = await expectBody<{ data: TaxRate[] }>(
      await adminCall(admin, "GET", "/api/admin/tax-rates?country=mt"),
      200,
    );
    expect(data[0]).toEqual(whole);
    expect(data).toContainEqual(regional);
    expect(data.every((rate) => rate.country === "MT")).toBe(true);
  });

  it("a rate changes and is deleted, each change in the audit trail", async () => {
    const admin = await signedInAdmin();
    const rate = await createTaxRate(admin, { country: "IS", region: uniqueRegion(), rate_bps: 2400 });
    const path = `/api/admin/tax-rates/${rate.id}`;
    const changed = await expectBody<TaxRate>(
      await adminCall(admin, "PATCH", path, { rate_bps: 0, name: "Exempt" }),
      200,
    );
    expect(changed).toMatchObject({ rate_bps: 0, name: "Exempt" });
    expect((await adminCall(admin, "DELETE", path)).status).toBe(204);
    const entries = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, rate.id)));
    expect(entries.map((entry) => entry.action).sort()).toEqual([
      "tax_rate.created",
      "tax_rate.deleted",
      "tax_rate.updated",
    ]);
  });
});
