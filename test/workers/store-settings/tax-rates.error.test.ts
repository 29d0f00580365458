import { describe, expect, it } from "vitest";
import { signedInAdmin } from "../support/accounts";
import { adminCall, createTaxRate, uniqueRegion } from "../support/store-settings";
import { readProblem } from "../support/worker";

describe("admin: tax rates, refused", () => {
  it("a second rate for a country and region is a 409 tax_rate_exists, on create and on change", async () => {
    const admin = await signedInAdmin();
    const region = uniqueRegion();
    await createTaxRate(admin, { country: "LV", region });
    const twin = await adminCall(admin, "POST", "/api/admin/tax-rates", {
      country: "lv",
      region: region.toLowerCase(),
      name: "Twin",
      rate_bps: 1,
    });
    expect(twin.status).toBe(409);
    expect((await readProblem(twin)).type).toBe("urn:edge-commerce:problem:tax_rate_exists");
    const other = await createTaxRate(admin, { country: "LV", region: uniqueRegion() });
    const moved = await adminCall(admin, "PATCH", `/api/admin/tax-rates/${other.id}`, { region });
    expect(moved.status).toBe(409);
  });

  it("a rate outside 0–10000 basis points, not an integer, an unknown country or an odd region is a 422", async () => {
    const admin = await signedInAdmin();
    for (const [body, path] of [
      [{ rate_bps: -1 }, "body.rate_bps"],
      [{ rate_bps: 10001 }, "body.rate_bps"],
      [{ rate_bps: 12.5 }, "body.rate_bps"],
      [{ country: "XX" }, "body.country"],
      [{ region: "CA/ON" }, "body.region"],
      [{ name: "" }, "body.name"],
      [{ id: "txr_forged" }, "body.id"],
    ] as const) {
      const response = await adminCall(admin, "POST", "/api/admin/tax-rates", {
        country: "LV",
        region: uniqueRegion(),
        name: "VAT",
        rate_bps: 2100,
        ...body,
      });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual([path]);
    }
  });

  it("unknown rates are 404; an empty change is a 422", async () => {
    const admin = await signedInAdmin();
    expect((await adminCall(admin, "PATCH", "/api/admin/tax-rates/txr_missing", { rate_bps: 1 })).status).toBe(404);
    expect((await adminCall(admin, "DELETE", "/api/admin/tax-rates/txr_missing")).status).toBe(404);
    const rate = await createTaxRate(admin, { country: "LV", region: uniqueRegion() });
    expect((await adminCall(admin, "PATCH", `/api/admin/tax-rates/${rate.id}`, {})).status).toBe(422);
  });
});
