/**
 * The admin's shipping zones and their methods. A country in one zone at most and one fallback zone are migration
 * 0010's primary key and partial unique index, checked inside the writing statement; rows that belong to a zone
 * are written only while it exists (conditional statements), and a zone is deleted only while it has no methods.
 * The reads here only choose which problem to answer.
 */
import type { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { type AuditedWrite, describeChanges } from "../../platform/audit/audit-log";
import type { Database } from "../../platform/db/client";
import { isRaisedBy, isUniqueViolation, translateRefusal } from "../../platform/db/errors";
import { ApiError, invalidFields } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import {
  type CreateShippingMethodSchema,
  type CreateShippingZoneSchema,
  type RateTerms,
  rateViolations,
  type ShippingMethod,
  type ShippingZone,
  type UpdateShippingMethodSchema,
  type UpdateShippingZoneSchema,
} from "./schemas";
import { shippingMethods, shippingZoneCountries, shippingZones } from "./tables";

type MethodRow = typeof shippingMethods.$inferSelect;

const zoneNotFound = () => new ApiError(404, "not_found", "No such shipping zone.");
const methodNotFound = () => new ApiError(404, "not_found", "No such shipping method.");
const hasMethods = () =>
  new ApiError(409, "zone_has_methods", "Methods belong to this zone: delete them first (orders keep their names).");

/**
 * The refusal of a zone write: a second fallback zone, or a country another zone has (named, with that zone, as
 * the database holds them now); `undefined` for anything else.
 */
async function zoneRefusal(db: Database, error: unknown, zoneId: string, countries: string[]) {
  if (!isUniqueViolation(error)) return undefined;
  if (isRaisedBy(error, "shipping_zones.is_fallback")) {
    return new ApiError(409, "fallback_zone_exists", "Another zone is the fallback zone: one at most.");
  }
  const [taken] = await db
    .select({ country: shippingZoneCountries.country, zoneId: shippingZones.id, zoneName: shippingZones.name })
    .from(shippingZoneCountries)
    .innerJoin(shippingZones, eq(shippingZones.id, shippingZoneCountries.zoneId))
    .where(and(inArray(shippingZoneCountries.country, countries), ne(shippingZoneCountries.zoneId, zoneId)))
    .orderBy(asc(shippingZoneCountries.country))
    .limit(1);
  return new ApiError(
    409,
    "country_in_other_zone",
    taken
      ? `${taken.country} is in the zone "${taken.zoneName}": take it out there first.`
      : "A country is in another zone: take it out there first.",
    { extensions: taken ? { country: taken.country, zone_id: taken.zoneId, zone_name: taken.zoneName } : {} },
  );
}

function toShippingMethod(method: MethodRow): ShippingMethod {
  return {
    id: method.id,
    zone_id: method.zoneId,
    name: method.name,
    rate_kind: method.rateKind,
    amount: method.amount,
    tiers: method.tiers,
    free_over_amount: method.freeOverAmount,
    is_active: method.isActive,
    position: method.position,
    created_at: method.createdAt,
    updated_at: method.updatedAt,
  };
}

/** The reads of every zone, or the one with this id, with its countries and methods: one batch's statements. */
function zoneQueries(db: Database, id?: string) {
  return [
    db
      .select()
      .from(shippingZones)
      .where(id === undefined ? undefined : eq(shippingZones.id, id))
      .orderBy(asc(shippingZones.isFallback), asc(shippingZones.name)),
    db
      .select()
      .from(shippingZoneCountries)
      .where(id === undefined ? undefined : eq(shippingZoneCountries.zoneId, id))
      .orderBy(asc(shippingZoneCountries.country)),
    db
      .select()
      .from(shippingMethods)
      .where(id === undefined ? undefined : eq(shippingMethods.zoneId, id))
      .orderBy(asc(shippingMethods.position), asc(shippingMethods.name)),
  ] as const;
}

type ZoneRows = readonly [
  (typeof shippingZones.$inferSelect)[],
  (typeof shippingZoneCountries.$inferSelect)[],
  MethodRow[],
];

/** The zones `zoneQueries` read, each with its countries and methods. */
function toZones([zones, countries, methods]: ZoneRows): ShippingZone[] {
  return zones.map((zone) => ({
    id: zone.id,
    name: zone.name,
    countries: countries.filter((row) => row.zoneId === zone.id).map((row) => row.country),
    is_fallback: zone.isFallback,
    methods: methods.filter((method) => method.zoneId === zone.id).map(toShippingMethod),
    created_at: zone.createdAt,
    updated_at: zone.updatedAt,
  }));
}

/** Every zone, or the one with this id, with its countries and methods, in one round trip. */
async function loadZones(db: Database, id?: string): Promise<ShippingZone[]> {
  return toZones(await db.batch(zoneQueries(db, id)));
}

/** Every zone, the fallback last, the others by name. */
export function listZones(db: Database): Promise<ShippingZone[]> {
  return loadZones(db);
}

export async function findZone(db: Database, id: string): Promise<ShippingZone> {
  const [zone] = await loadZones(db, id);
  if (!zone) throw zoneNotFound();
  return zone;
}

/** The zone's countries, written only while the zone exists: a zone deleted meanwhile gets none. */
function insertCountries(db: Database, zoneId: string, countries: string[]) {
  return db.run(sql`insert into ${shippingZoneCountries} (country, zone_id)
    select value, ${zoneId} from json_each(${JSON.stringify(countries)})
    where exists (select 1 from ${shippingZones} where ${shippingZones.id} = ${zoneId})`);
}

export async function createZone(
  write: AuditedWrite,
  input: z.output<typeof CreateShippingZoneSchema>,
): Promise<ShippingZone> {
  const { db, audit, actorId, at } = write;
  const id = newId("shz");
  const results = await translateRefusal(
    db.batch([
      db
        .insert(shippingZones)
        .values({ id, name: input.name, isFallback: input.is_fallback, createdAt: at, updatedAt: at }),
      insertCountries(db, id, input.countries),
      audit.insert({
        action: "shipping_zone.created",
        actorId,
        targetType: "shipping_zone",
        targetId: id,
        details: input,
      }),
      ...zoneQueries(db, id),
    ]),
    (error) => zoneRefusal(db, error, id, input.countries),
  );
  const [, , , ...loaded] = results;
  const [zone] = toZones(loaded);
  if (!zone) throw zoneNotFound();
  return zone;
}

/** Renames a zone, makes it the fallback or not, or replaces its countries (the full set). */
export async function updateZone(
  write: AuditedWrite,
  id: string,
  changes: z.output<typeof UpdateShippingZoneSchema>,
): Promise<ShippingZone> {
  const { db, audit, actorId, at } = write;
  const before = await findZone(db, id);
  const { countries } = changes;
  const results = await translateRefusal(
    db.batch([
      db
        .update(shippingZones)
        .set({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.is_fallback !== undefined ? { isFallback: changes.is_fallback } : {}),
          updatedAt: at,
        })
        .where(eq(shippingZones.id, id)),
      // Right after the zone's own update: recorded only when the zone was still there.
      audit.insertWhen(
        {
          action: "shipping_zone.updated",
          actorId,
          targetType: "shipping_zone",
          targetId: id,
          details: { changes: describeChanges(before, changes) },
        },
        sql`changes() > 0`,
      ),
      ...(countries
        ? [
            db.delete(shippingZoneCountries).where(eq(shippingZoneCountries.zoneId, id)),
            insertCountries(db, id, countries),
          ]
        : []),
      ...zoneQueries(db, id),
    ]),
    (error) => zoneRefusal(db, error, id, countries ?? []),
  );
  // The reads are the batch's last three statements, whichever statements came before them.
  const [zone] = toZones(results.slice(-3) as unknown as ZoneRows);
  if (!zone) throw zoneNotFound();
  return zone;
}

/** Deletes a zone without methods, and its countries with it (they then fall to the fallback zone). */
export async function deleteZone(write: AuditedWrite, id: string): Promise<void> {
  const { db, audit, actorId } = write;
  const before = await findZone(db, id);
  if (before.methods.length > 0) throw hasMethods();
  const noMethods = sql`not exists (select 1 from ${shippingMethods} where ${shippingMethods.zoneId} = ${id})`;
  const [, removed] = await db.batch([
    db.delete(shippingZoneCountries).where(and(eq(shippingZoneCountries.zoneId, id), noMethods)),
    db.delete(shippingZones).where(and(eq(shippingZones.id, id), noMethods)),
    audit.insertWhen(
      {
        action: "shipping_zone.deleted",
        actorId,
        targetType: "shipping_zone",
        targetId: id,
        details: { name: before.name, countries: before.countries, is_fallback: before.is_fallback },
      },
      sql`changes() > 0`,
    ),
  ]);
  if (removed.rowsAffected === 0) {
    // A method added meanwhile, or the zone deleted by another request.
    await findZone(db, id);
    throw hasMethods();
  }
}

async function findMethodRow(db: Database, id: string): Promise<MethodRow> {
  const [method] = await db.select().from(shippingMethods).where(eq(shippingMethods.id, id)).limit(1);
  if (!method) throw methodNotFound();
  return method;
}

/** A tiered method stores amount 0 and a flat one no tiers: what the API's rules see as "not given". */
function rateTermsOf(method: MethodRow): RateTerms {
  return method.rateKind === "flat"
    ? { rate_kind: "flat", amount: method.amount }
    : { rate_kind: method.rateKind, tiers: method.tiers };
}

/** The columns of a rate: the amount of a flat one, the tiers of a tiered one, the other emptied. */
function rateColumns(terms: RateTerms) {
  return terms.rate_kind === "flat"
    ? { rateKind: terms.rate_kind, amount: terms.amount ?? 0, tiers: [] }
    : { rateKind: terms.rate_kind, amount: 0, tiers: terms.tiers ?? [] };
}

export async function createMethod(
  write: AuditedWrite,
  zoneId: string,
  input: z.output<typeof CreateShippingMethodSchema>,
): Promise<ShippingMethod> {
  const { db, audit, actorId, at } = write;
  const id = newId("shm");
  const rate = rateColumns(input);
  // Only into a zone that exists when the statement runs, so a zone deleted meanwhile gets no orphan.
  const [, , [created]] = await db.batch([
    db.run(sql`insert into ${shippingMethods}
      (id, zone_id, name, rate_kind, amount, tiers, free_over_amount, is_active, position, created_at, updated_at)
      select ${id}, ${zoneId}, ${input.name}, ${rate.rateKind}, ${rate.amount}, ${JSON.stringify(rate.tiers)},
        ${input.free_over_amount}, ${input.is_active ? 1 : 0}, ${input.position}, ${at}, ${at}
      where exists (select 1 from ${shippingZones} where ${shippingZones.id} = ${zoneId})`),
    audit.insertWhen(
      {
        action: "shipping_method.created",
        actorId,
        targetType: "shipping_method",
        targetId: id,
        details: { zone_id: zoneId, ...input },
      },
      sql`changes() > 0`,
    ),
    db.select().from(shippingMethods).where(eq(shippingMethods.id, id)).limit(1),
  ]);
  // No row: the zone was not there, so nothing was inserted.
  if (!created) throw zoneNotFound();
  return toShippingMethod(created);
}

/**
 * Changes a method. A new `rate_kind` comes with what it needs (an amount, or tiers); the rules hold for the method
 * as changed.
 */
export async function updateMethod(
  write: AuditedWrite,
  id: string,
  changes: z.output<typeof UpdateShippingMethodSchema>,
): Promise<ShippingMethod> {
  const { db, audit, actorId, at } = write;
  const before = await findMethodRow(db, id);
  const kept = changes.rate_kind === undefined || changes.rate_kind === before.rateKind ? rateTermsOf(before) : {};
  const terms: RateTerms = {
    ...kept,
    rate_kind: changes.rate_kind ?? before.rateKind,
    ...(changes.amount !== undefined ? { amount: changes.amount } : {}),
    ...(changes.tiers !== undefined ? { tiers: changes.tiers } : {}),
  };
  const violations = rateViolations(terms);
  if (violations.length > 0) throw invalidFields(violations, "body.");
  const [updated, , [row]] = await db.batch([
    db
      .update(shippingMethods)
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...rateColumns(terms),
        ...(changes.free_over_amount !== undefined ? { freeOverAmount: changes.free_over_amount } : {}),
        ...(changes.is_active !== undefined ? { isActive: changes.is_active } : {}),
        ...(changes.position !== undefined ? { position: changes.position } : {}),
        updatedAt: at,
      })
      .where(eq(shippingMethods.id, id)),
    audit.insertWhen(
      {
        action: "shipping_method.updated",
        actorId,
        targetType: "shipping_method",
        targetId: id,
        details: { changes: describeChanges(toShippingMethod(before), changes) },
      },
      sql`changes() > 0`,
    ),
    db.select().from(shippingMethods).where(eq(shippingMethods.id, id)).limit(1),
  ]);
  if (updated.rowsAffected === 0 || !row) throw methodNotFound();
  return toShippingMethod(row);
}

/** Deletes a method; orders keep its id and name, and a cart that had chosen it chooses again. */
export async function deleteMethod(write: AuditedWrite, id: string): Promise<void> {
  const { db, audit, actorId } = write;
  const [removed] = await db.batch([
    db.delete(shippingMethods).where(eq(shippingMethods.id, id)),
    audit.insertWhen(
      { action: "shipping_method.deleted", actorId, targetType: "shipping_method", targetId: id },
      sql`changes() > 0`,
    ),
  ]);
  if (removed.rowsAffected === 0) throw methodNotFound();
}
