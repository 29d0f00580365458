import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, shippingZoneCountries } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import { adminCall, createShippingZone, expectBody, type ShippingZone } from "../support/store-settings";

type Method = ShippingZone["methods"][number];

describe("admin: shipping zones and methods", () => {
  it("a zone with countries (upper-cased) and methods of each kind, shown in the list with the fallback last", async () => {
    const admin = await signedInAdmin();
    const zone = await createShippingZone(admin, {
      name: "Islands",
      countries: ["mt", "IS"],
      methods: [
        {
          name: "Express",
          rate_kind: "weight_tiers",
          tiers: [
            { min: 0, amount: 900 },
            { min: 2000, amount: 1500 },
          ],
          position: 2,
        },
        { name: "Standard", rate_kind: "flat", amount: 490, free_over_amount: 5000, position: 1 },
        {
          name: "By basket",
          rate_kind: "subtotal_tiers",
          tiers: [
            { min: 0, amount: 700 },
            { min: 3000, amount: 0 },
          ],
          position: 3,
        },
      ],
    });
    expect(zone).toMatchObject({
      id: expect.stringMatching(/^shz_/),
      name: "Islands",
      countries: ["IS", "MT"],
      is_fallback: false,
    });
    expect(zone.methods.map((method) => [method.name, method.rate_kind, method.amount, method.tiers.length])).toEqual([
      ["Standard", "flat", 490, 0],
      ["Express", "weight_tiers", 0, 2],
      ["By basket", "subtotal_tiers", 0, 2],
    ]);
    expect(zone.methods[0]).toMatchObject({
      id: expect.stringMatching(/^shm_/),
      zone_id: zone.id,
      free_over_amount: 5000,
      is_active: true,
    });

    const { data } = await expectBody<{ data: ShippingZone[] }>(
      await adminCall(admin, "GET", "/api/admin/shipping-zones"),
      200,
    );
    expect(data).toContainEqual(zone);
    expect(data.at(-1)).toMatchObject({ id: "shz_rest_of_world", is_fallback: true });
  });

  it("countries are replaced as a full set, and a country given up can join another zone", async () => {
    const admin = await signedInAdmin();
    const zone = await createShippingZone(admin, { countries: ["LU", "EE"] });
    const changed = await expectBody<ShippingZone>(
      await adminCall(admin, "PATCH", `/api/admin/shipping-zones/${zone.id}`, {
        name: "Baltic",
        countries: ["EE", "LV"],
      }),
      200,
    );
    expect(changed).toMatchObject({ name: "Baltic", countries: ["EE", "LV"] });
    const other = await createShippingZone(admin, { countries: ["LU"] });
    expect(other.countries).toEqual(["LU"]);
    const [entry] = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, zone.id), eq(auditEvents.action, "shipping_zone.updated")));
    expect(entry?.details).toMatchObject({ changes: { countries: { from: ["EE", "LU"], to: ["EE", "LV"] } } });
  });

  it("a method changes kind with what the new kind needs, and is deleted; then its zone can be deleted", async () => {
    const admin = await signedInAdmin();
    const zone = await createShippingZone(admin, {
      countries: ["LT"],
      methods: [{ name: "Post", rate_kind: "flat", amount: 300 }],
    });
    const [method] = zone.methods;
    if (!method) throw new Error("no method");
    const path = `/api/admin/shipping-methods/${method.id}`;
    const tiered = await expectBody<Method>(
      await adminCall(admin, "PATCH", path, { rate_kind: "subtotal_tiers", tiers: [{ min: 0, amount: 500 }] }),
      200,
    );
    expect(tiered).toMatchObject({ rate_kind: "subtotal_tiers", amount: 0, tiers: [{ min: 0, amount: 500 }] });
    const flat = await expectBody<Method>(
      await adminCall(admin, "PATCH", path, {
        rate_kind: "flat",
        amount: 250,
        free_over_amount: null,
        is_active: false,
      }),
      200,
    );
    expect(flat).toMatchObject({ rate_kind: "flat", amount: 250, tiers: [], free_over_amount: null, is_active: false });

    expect((await adminCall(admin, "DELETE", path)).status).toBe(204);
    expect((await adminCall(admin, "DELETE", `/api/admin/shipping-zones/${zone.id}`)).status).toBe(204);
    expect((await adminCall(admin, "GET", `/api/admin/shipping-zones/${zone.id}`)).status).toBe(404);
    expect(await testDb().select().from(shippingZoneCountries).where(eq(shippingZoneCountries.country, "LT"))).toEqual(
      [],
    );
  });
});
