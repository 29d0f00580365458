/**
 * The admin's discount codes. The rules that concurrent writes could otherwise break (a code's text once, whatever
 * its case; the value by kind; the window) are migration 0010's index and checks, inside the writing statement:
 * the reads here only choose which problem to answer. That each target exists is checked by a read only.
 */
import type { z } from "@hono/zod-openapi";
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { type AuditedWrite, describeChanges } from "../../platform/audit/audit-log";
import type { Database } from "../../platform/db/client";
import { isUniqueViolation, translateRefusal } from "../../platform/db/errors";
import { startsWithText } from "../../platform/db/search";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError, invalidFields } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import { categories, products } from "../catalog";
import {
  type AdminDiscountCode,
  type CreateDiscountCodeSchema,
  type DiscountTerms,
  termViolations,
  type UpdateDiscountCodeSchema,
} from "./schemas";
import { discountCodes, discountRedemptions } from "./tables";

type CodeRow = typeof discountCodes.$inferSelect;
type NewCode = z.output<typeof CreateDiscountCodeSchema>;
type CodeChanges = z.output<typeof UpdateDiscountCodeSchema>;

const notFound = () => new ApiError(404, "not_found", "No such discount code.");

/** The index's refusal as the problem it means. */
function codeRefusal(error: unknown): ApiError | undefined {
  if (isUniqueViolation(error)) return new ApiError(409, "code_taken", "Another discount code has this code.");
  return undefined;
}

/**
 * Uses held now: a use an ended order gave back no longer counts. Qualified by hand, because drizzle writes a
 * single-table select's columns unqualified, and a bare `id` in the subquery would be the redemption's.
 */
const timesUsed = sql<number>`(select count(*) from ${discountRedemptions} as used where used.code_id = ${discountCodes}.id and used.released_at is null)`;

function withUses(db: Database) {
  return db.select({ code: discountCodes, timesUsed }).from(discountCodes);
}

const live = (id: string) => and(eq(discountCodes.id, id), isNull(discountCodes.deletedAt));

function toAdminDiscountCode({ code, timesUsed }: { code: CodeRow; timesUsed: number }): AdminDiscountCode {
  return {
    id: code.id,
    code: code.code,
    kind: code.kind,
    value: code.value,
    applies_to: code.appliesTo,
    target_ids: code.targetIds,
    minimum_subtotal_amount: code.minimumSubtotalAmount,
    starts_at: code.startsAt,
    ends_at: code.endsAt,
    usage_limit: code.usageLimit,
    per_customer_limit: code.perCustomerLimit,
    is_active: code.isActive,
    times_used: timesUsed,
    created_at: code.createdAt,
    updated_at: code.updatedAt,
  };
}

/** The API's fields as columns: what a create or a change writes. */
function toColumns(fields: CodeChanges) {
  return {
    ...(fields.code !== undefined ? { code: fields.code } : {}),
    ...(fields.kind !== undefined ? { kind: fields.kind } : {}),
    ...(fields.value !== undefined ? { value: fields.value } : {}),
    ...(fields.applies_to !== undefined ? { appliesTo: fields.applies_to } : {}),
    ...(fields.target_ids !== undefined ? { targetIds: fields.target_ids } : {}),
    ...(fields.minimum_subtotal_amount !== undefined ? { minimumSubtotalAmount: fields.minimum_subtotal_amount } : {}),
    ...(fields.starts_at !== undefined ? { startsAt: fields.starts_at } : {}),
    ...(fields.ends_at !== undefined ? { endsAt: fields.ends_at } : {}),
    ...(fields.usage_limit !== undefined ? { usageLimit: fields.usage_limit } : {}),
    ...(fields.per_customer_limit !== undefined ? { perCustomerLimit: fields.per_customer_limit } : {}),
    ...(fields.is_active !== undefined ? { isActive: fields.is_active } : {}),
  };
}

/**
 * Each target must be a product (not deleted) or a category, as `applies_to` says: one error per unknown id, at
 * its index in `body.target_ids`.
 */
async function checkTargets(db: Database, terms: Pick<DiscountTerms, "applies_to" | "target_ids">): Promise<void> {
  if (terms.applies_to === "order" || terms.target_ids.length === 0) return;
  const found =
    terms.applies_to === "products"
      ? await db
          .select({ id: products.id })
          .from(products)
          .where(and(inArray(products.id, terms.target_ids), isNull(products.deletedAt)))
      : await db.select({ id: categories.id }).from(categories).where(inArray(categories.id, terms.target_ids));
  const known = new Set(found.map((row) => row.id));
  const noun = terms.applies_to === "products" ? "product" : "category";
  const errors = terms.target_ids.flatMap((id, index) =>
    known.has(id) ? [] : [{ path: `body.target_ids.${index}`, message: `No such ${noun}` }],
  );
  if (errors.length > 0) throw invalidFields(errors);
}

const NEWEST_FIRST = newestFirst(discountCodes.createdAt, discountCodes.id);

/** Codes not deleted, newest first; with `q`, those whose code starts with it (in any case). */
export async function listDiscountCodes(db: Database, query: { limit: number; cursor?: string; q?: string }) {
  const conditions: (SQL | undefined)[] = [isNull(discountCodes.deletedAt), NEWEST_FIRST.after(query.cursor)];
  if (query.q) conditions.push(startsWithText(discountCodes.code, query.q));
  const rows = await withUses(db)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(query.limit + 1);
  const { page, nextCursor } = paginate(rows, query.limit, ({ code }) => [code.createdAt, code.id]);
  return { data: page.map(toAdminDiscountCode), nextCursor };
}

export async function findDiscountCode(db: Database, id: string): Promise<AdminDiscountCode> {
  const [found] = await withUses(db).where(live(id)).limit(1);
  if (!found) throw notFound();
  return toAdminDiscountCode(found);
}

export async function createDiscountCode(write: AuditedWrite, input: NewCode): Promise<AdminDiscountCode> {
  const { db, audit, actorId, at } = write;
  await checkTargets(db, input);
  const id = newId("dsc");
  const value = input.value ?? 0;
  const [, , [created]] = await translateRefusal(
    db.batch([
      db
        .insert(discountCodes)
        .values({ id, ...toColumns(input), code: input.code, kind: input.kind, value, createdAt: at, updatedAt: at }),
      audit.insert({
        action: "discount_code.created",
        actorId,
        targetType: "discount_code",
        targetId: id,
        details: { ...input, value },
      }),
      withUses(db).where(eq(discountCodes.id, id)).limit(1),
    ]),
    codeRefusal,
  );
  if (!created) throw new Error("discount code insert returned no row");
  return toAdminDiscountCode(created);
}

/**
 * Changes a code. The rules between fields hold for the code as it will be (this change over what it is); its text
 * changes only while no order has ever used it (a released use too: that order still names it), which the update
 * itself checks, so a checkout committing meanwhile cannot be missed.
 */
export async function updateDiscountCode(
  write: AuditedWrite,
  id: string,
  changes: CodeChanges,
): Promise<AdminDiscountCode> {
  const { db, audit, actorId, at } = write;
  const before = await findDiscountCode(db, id);
  const after = { ...before, ...changes };
  const violations = termViolations({ ...after, value: changes.value ?? (changes.kind ? undefined : before.value) });
  if (violations.length > 0) {
    throw invalidFields(violations, "body.");
  }
  if (changes.target_ids !== undefined || changes.applies_to !== undefined) await checkTargets(db, after);
  // A free-shipping code has value 0 whatever it had before.
  const value = after.kind === "free_shipping" ? 0 : changes.value;
  const renamed = changes.code !== undefined && changes.code !== before.code;
  const neverUsed = sql`not exists (select 1 from ${discountRedemptions} where ${discountRedemptions.codeId} = ${id})`;
  const [updated, , [row]] = await translateRefusal(
    db.batch([
      db
        .update(discountCodes)
        .set({ ...toColumns({ ...changes, value }), updatedAt: at })
        .where(and(live(id), renamed ? neverUsed : undefined)),
      audit.insertWhen(
        {
          action: "discount_code.updated",
          actorId,
          targetType: "discount_code",
          targetId: id,
          details: { changes: describeChanges(before, changes) },
        },
        sql`changes() > 0`,
      ),
      withUses(db).where(live(id)).limit(1),
    ]),
    codeRefusal,
  );
  if (!row) throw notFound();
  if (updated.rowsAffected === 0) {
    throw new ApiError(409, "code_in_use", "Orders have used this code: its text can no longer change.");
  }
  return toAdminDiscountCode(row);
}

/**
 * Deletes a code softly: it stops applying, leaves the admin's lists, and its text stays taken, since the orders
 * that used it name it.
 */
export async function deleteDiscountCode(write: AuditedWrite, id: string): Promise<void> {
  const { db, audit, actorId, at } = write;
  const [removed] = await db.batch([
    db.update(discountCodes).set({ deletedAt: at, updatedAt: at }).where(live(id)),
    audit.insertWhen(
      { action: "discount_code.deleted", actorId, targetType: "discount_code", targetId: id },
      sql`changes() > 0`,
    ),
  ]);
  if (removed.rowsAffected === 0) throw notFound();
}
