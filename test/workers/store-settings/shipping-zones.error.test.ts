import { describe, expect, it } from "vitest";
import { signedInAdmin } from "../support/accounts";
import { adminCall, createShippingZone, type ShippingMethodInput } from "../support/store-settings";
import { readProblem } from "../support/worker";

const problem = (code: string) => `urn:edge-commerce:problem:${code}`;

describe("admin: shipping zones and methods, refused", () => {
  it("a country another zone has is a 409 naming the country and the zone, on create and on replace", async () => {
    const admin = await signedInAdmin();
    const holder = await createShippingZone(admin, { name: "Holder", countries: ["SK"] });
    const created = await adminCall(admin, "POST", "/api/admin/shipping-zones", { name: "Claim", countries: ["sk"] });
    expect(created.status).toBe(409);
    expect(await readProblem(created)).toMatchObject({
      type: problem("country_in_other_zone"),
      country: "SK",
      zone_id: holder.id,
      zone_name: "Holder",
    });
    const other = await createShippingZone(admin, { countries: [] });
    const replaced = await adminCall(admin, "PATCH", `/api/admin/shipping-zones/${other.id}`, { countries: ["SK"] });
    expect(replaced.status).toBe(409);
    expect((await readProblem(replaced)).type).toBe(problem("country_in_other_zone"));
  });

  it("a second fallback zone is a 409, on create and on change", async () => {
    const admin = await signedInAdmin();
    const created = await adminCall(admin, "POST", "/api/admin/shipping-zones", {
      name: "Fallback 2",
      is_fallback: true,
    });
    expect(created.status).toBe(409);
    expect((await readProblem(created)).type).toBe(problem("fallback_zone_exists"));
    const zone = await createShippingZone(admin, { countries: [] });
    const changed = await adminCall(admin, "PATCH", `/api/admin/shipping-zones/${zone.id}`, { is_fallback: true });
    expect((await readProblem(changed)).type).toBe(problem("fallback_zone_exists"));
  });

  it("unknown or repeated countries are 422 on their index", async () => {
    const admin = await signedInAdmin();
    for (const [countries, path] of [
      [["XX"], "body.countries.0"],
      [["IS", "GBR"], "body.countries.1"],
      [["IS", "is"], "body.countries.1"],
    ] as const) {
      const response = await adminCall(admin, "POST", "/api/admin/shipping-zones", { name: "Bad", countries });
      expect(response.status).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual([path]);
    }
  });

  it("a zone with methods is not deleted: 409 zone_has_methods", async () => {
    const admin = await signedInAdmin();
    const zone = await createShippingZone(admin, {
      countries: [],
      methods: [{ name: "Post", rate_kind: "flat", amount: 0 }],
    });
    const response = await adminCall(admin, "DELETE", `/api/admin/shipping-zones/${zone.id}`);
    expect(response.status).toBe(409);
    expect((await readProblem(response)).type).toBe(problem("zone_has_methods"));
    expect((await adminCall(admin, "GET", `/api/admin/shipping-zones/${zone.id}`)).status).toBe(200);
  });

  it("rates: a flat one needs an amount, a tiered one tiers from 0 ascending (20 at most), never both", async () => {
    const admin = await signedInAdmin();
    const zone = await createShippingZone(admin, { countries: [] });
    const cases: [ShippingMethodInput, string][] = [
      [{ name: "A", rate_kind: "flat" }, "body.amount"],
      [{ name: "A", rate_kind: "flat", amount: -1 }, "body.amount"],
      [{ name: "A", rate_kind: "flat", amount: 1, tiers: [{ min: 0, amount: 1 }] }, "body.tiers"],
      [{ name: "A", rate_kind: "weight_tiers" }, "body.tiers"],
      [{ name: "A", rate_kind: "weight_tiers", amount: 5, tiers: [{ min: 0, amount: 1 }] }, "body.amount"],
      [{ name: "A", rate_kind: "weight_tiers", tiers: [{ min: 10, amount: 1 }] }, "body.tiers.0.min"],
      [
        {
          name: "A",
          rate_kind: "subtotal_tiers",
          tiers: [
            { min: 0, amount: 1 },
            { min: 0, amount: 2 },
          ],
        },
        "body.tiers.1.min",
      ],
      [
        {
          name: "A",
          rate_kind: "subtotal_tiers",
          tiers: Array.from({ length: 21 }, (_, i) => ({ min: i, amount: 1 })),
        },
        "body.tiers",
      ],
      [{ name: "A", rate_kind: "flat", amount: 1, free_over_amount: -1 }, "body.free_over_amount"],
    ];
    for (const [body, path] of cases) {
      const response = await adminCall(admin, "POST", `/api/admin/shipping-zones/${zone.id}/methods`, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual([path]);
    }
  });

  it("a new kind without what it needs is a 422; unknown zones and methods are 404", async () => {
    const admin = await signedInAdmin();
    const zone = await createShippingZone(admin, {
      countries: [],
      methods: [{ name: "Post", rate_kind: "flat", amount: 100 }],
    });
    const path = `/api/admin/shipping-methods/${zone.methods[0]?.id}`;
    const response = await adminCall(admin, "PATCH", path, { rate_kind: "weight_tiers" });
    expect(response.status).toBe(422);
    expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual(["body.tiers"]);

    const method = { name: "Post", rate_kind: "flat", amount: 1 };
    expect((await adminCall(admin, "POST", "/api/admin/shipping-zones/shz_missing/methods", method)).status).toBe(404);
    expect((await adminCall(admin, "PATCH", "/api/admin/shipping-methods/shm_missing", { amount: 1 })).status).toBe(
      404,
    );
    expect((await adminCall(admin, "DELETE", "/api/admin/shipping-methods/shm_missing")).status).toBe(404);
    expect((await adminCall(admin, "PATCH", "/api/admin/shipping-zones/shz_missing", { name: "X" })).status).toBe(404);
    expect((await adminCall(admin, "DELETE", "/api/admin/shipping-zones/shz_missing")).status).toBe(404);
  });
});
