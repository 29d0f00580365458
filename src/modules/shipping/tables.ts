import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A zone is a set of countries (each country in at most one zone). The fallback zone, at most one, serves every
 * country no other zone names.
 */
export const shippingZones = sqliteTable(
  "shipping_zones",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    isFallback: integer("is_fallback", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [uniqueIndex("shipping_zones_one_fallback").on(table.isFallback).where(sql`${table.isFallback} = 1`)],
);

export const shippingZoneCountries = sqliteTable(
  "shipping_zone_countries",
  {
    /** ISO 3166-1 alpha-2, upper case: a country belongs to one zone. */
    country: text("country").primaryKey(),
    zoneId: text("zone_id")
      .notNull()
      .references(() => shippingZones.id),
  },
  (table) => [index("shipping_zone_countries_zone_idx").on(table.zoneId)],
);

export const SHIPPING_RATE_KINDS = ["flat", "subtotal_tiers", "weight_tiers"] as const;

/** A tier: from `min` (subtotal in the smallest currency unit, or grams) upwards, the method costs `amount`. */
export interface ShippingTier {
  min: number;
  amount: number;
}

/**
 * How a zone's parcels travel and what that costs: a flat amount, or tiers by the cart's subtotal (after
 * discount) or total weight (the variants' `weight_grams`). Free when the subtotal reaches `free_over_amount`.
 */
export const shippingMethods = sqliteTable(
  "shipping_methods",
  {
    id: text("id").primaryKey(),
    zoneId: text("zone_id")
      .notNull()
      .references(() => shippingZones.id),
    name: text("name").notNull(),
    rateKind: text("rate_kind", { enum: SHIPPING_RATE_KINDS }).notNull(),
    /** The flat amount (rate_kind `flat`). */
    amount: integer("amount").notNull().default(0),
    /** Ascending by `min`, the first at 0 (rate_kind `*_tiers`). */
    tiers: text("tiers", { mode: "json" }).$type<ShippingTier[]>().notNull().default(sql`'[]'`),
    freeOverAmount: integer("free_over_amount"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("shipping_methods_zone_idx").on(table.zoneId, table.position),
    check(
      "shipping_methods_amounts",
      sql`${table.amount} >= 0 and (${table.freeOverAmount} is null or ${table.freeOverAmount} >= 0)`,
    ),
  ],
);
