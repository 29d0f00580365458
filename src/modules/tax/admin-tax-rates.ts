/**
 * The admin's tax rates. One rate per country and region is migration 0010's unique index and the rate's range
 * its check, both inside the writing statement.
 */
import type { z } from "@hono/zod-openapi";
import { asc, eq, sql } from "drizzle-orm";
import { type AuditedWrite, describeChanges } from "../../platform/audit/audit-log";
import type { Database } from "../../platform/db/client";
import { isUniqueViolation, translateRefusal } from "../../platform/db/errors";
import { ApiError } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import type { CreateTaxRateSchema, TaxRate, UpdateTaxRateSchema } from "./schemas";
import { taxRates } from "./tables";

type TaxRateRow = typeof taxRates.$inferSelect;

const notFound = () => new ApiError(404, "not_found", "No such tax rate.");

function taxRefusal(error: unknown): ApiError | undefined {
  if (!isUniqueViolation(error)) return undefined;
  return new ApiError(409, "tax_rate_exists", "This country and region already have a rate: change that one.");
}

function toTaxRate(rate: TaxRateRow): TaxRate {
  return {
    id: rate.id,
    country: rate.country,
    region: rate.region,
    name: rate.name,
    rate_bps: rate.rateBps,
    created_at: rate.createdAt,
    updated_at: rate.updatedAt,
  };
}

/** Every rate (or one country's), by country, the whole country's before its regions'. */
export async function listTaxRates(db: Database, country?: string): Promise<TaxRate[]> {
  const rows = await db
    .select()
    .from(taxRates)
    .where(country === undefined ? undefined : eq(taxRates.country, country))
    .orderBy(asc(taxRates.country), asc(taxRates.region));
  return rows.map(toTaxRate);
}

async function findTaxRate(db: Database, id: string): Promise<TaxRate> {
  const [rate] = await db.select().from(taxRates).where(eq(taxRates.id, id)).limit(1);
  if (!rate) throw notFound();
  return toTaxRate(rate);
}

export async function createTaxRate(
  write: AuditedWrite,
  input: z.output<typeof CreateTaxRateSchema>,
): Promise<TaxRate> {
  const { db, audit, actorId, at } = write;
  const id = newId("txr");
  const [, , [created]] = await translateRefusal(
    db.batch([
      db.insert(taxRates).values({
        id,
        country: input.country,
        region: input.region,
        name: input.name,
        rateBps: input.rate_bps,
        createdAt: at,
        updatedAt: at,
      }),
      audit.insert({ action: "tax_rate.created", actorId, targetType: "tax_rate", targetId: id, details: input }),
      db.select().from(taxRates).where(eq(taxRates.id, id)).limit(1),
    ]),
    taxRefusal,
  );
  if (!created) throw new Error("tax rate insert returned no row");
  return toTaxRate(created);
}

export async function updateTaxRate(
  write: AuditedWrite,
  id: string,
  changes: z.output<typeof UpdateTaxRateSchema>,
): Promise<TaxRate> {
  const { db, audit, actorId, at } = write;
  const before = await findTaxRate(db, id);
  const [, , [updated]] = await translateRefusal(
    db.batch([
      db
        .update(taxRates)
        .set({
          ...(changes.country !== undefined ? { country: changes.country } : {}),
          ...(changes.region !== undefined ? { region: changes.region } : {}),
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.rate_bps !== undefined ? { rateBps: changes.rate_bps } : {}),
          updatedAt: at,
        })
        .where(eq(taxRates.id, id)),
      audit.insertWhen(
        {
          action: "tax_rate.updated",
          actorId,
          targetType: "tax_rate",
          targetId: id,
          details: { changes: describeChanges(before, changes) },
        },
        sql`changes() > 0`,
      ),
      db.select().from(taxRates).where(eq(taxRates.id, id)).limit(1),
    ]),
    taxRefusal,
  );
  if (!updated) throw notFound();
  return toTaxRate(updated);
}

/** Deletes a rate; orders keep their tax lines (name, country, region and rate as charged). */
export async function deleteTaxRate(write: AuditedWrite, id: string): Promise<void> {
  const { db, audit, actorId } = write;
  const before = await findTaxRate(db, id);
  const [removed] = await db.batch([
    db.delete(taxRates).where(eq(taxRates.id, id)),
    audit.insertWhen(
      {
        action: "tax_rate.deleted",
        actorId,
        targetType: "tax_rate",
        targetId: id,
        details: { country: before.country, region: before.region, name: before.name, rate_bps: before.rate_bps },
      },
      sql`changes() > 0`,
    ),
  ]);
  if (removed.rowsAffected === 0) throw notFound();
}
