/**
 * The shipping methods a shopper may choose for a country: the active methods of the zone that names the
 * country, or of the fallback zone when none does.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { ApiError } from "../../platform/http/problem";
import { shippingMethods, shippingZoneCountries, shippingZones } from "./tables";

export type ShippingMethodRow = typeof shippingMethods.$inferSelect;

/** The zone serving `country` (a value or a column/subquery): its own, else the fallback. */
function zoneFor(country: string | ReturnType<typeof sql>) {
  return sql`coalesce(
    (select ${shippingZoneCountries.zoneId} from ${shippingZoneCountries} where ${shippingZoneCountries.country} = ${country}),
    (select ${shippingZones.id} from ${shippingZones} where ${shippingZones.isFallback} = 1)
  )`;
}

/** The active methods for `country`, in the admin's order, as a query. */
export function methodsForCountryQuery(db: Database, country: string | ReturnType<typeof sql>) {
  return db
    .select()
    .from(shippingMethods)
    .where(and(eq(shippingMethods.zoneId, zoneFor(country)), eq(shippingMethods.isActive, true)))
    .orderBy(asc(shippingMethods.position), asc(shippingMethods.id));
}

/** The pricing module's view of a method. */
export function toPricingShipping(method: ShippingMethodRow) {
  if (method.rateKind === "flat") {
    return { rateKind: "flat", amount: method.amount, freeOverAmount: method.freeOverAmount } as const;
  }
  return { rateKind: method.rateKind, tiers: method.tiers, freeOverAmount: method.freeOverAmount } as const;
}

/** The 422 of a method that does not serve the country, naming those that do. */
export function shippingMethodUnavailable(country: string, methods: readonly ShippingMethodRow[]): ApiError {
  return new ApiError(422, "shipping_method_unavailable", "This shipping method does not serve that country.", {
    extensions: { country, shipping_methods: methods.map((method) => method.id) },
  });
}
