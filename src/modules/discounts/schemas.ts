/** Discount code schemas, defined once for validation, types and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { PaginationQuerySchema } from "../../platform/http/pagination";
import { DISCOUNT_KINDS, DISCOUNT_TARGETS } from "./tables";

const MAX_AMOUNT = 1_000_000_000;
const MAX_TARGETS = 100;

const CodeTextSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{3,32}$/, "must be 3 to 32 letters, digits, dashes or underscores")
  .openapi({ description: "What shoppers type; unique across the store whatever its case", example: "WELCOME10" });
const AmountSchema = z.number().int().min(0).max(MAX_AMOUNT);
const LimitSchema = z.number().int().min(1).max(MAX_AMOUNT).nullable();
/** Stored as `toISOString()` gives it, so the database compares instants as text (the redemption trigger does). */
const InstantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .nullable()
  .openapi({ format: "date-time", example: "2030-01-01T00:00:00.000Z" });
const TargetIdsSchema = z
  .array(z.string().min(1).max(64))
  .max(MAX_TARGETS)
  .transform((ids) => [...new Set(ids)])
  .openapi({ description: "Products or categories (with their subcategories) the code applies to; [] for `order`" });

export const DiscountCodeIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ description: "The discount code's id", example: "dsc_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
});

/** The fields whose combination the rules below are about, as a create gives them or a row holds them. */
export interface DiscountTerms {
  kind: (typeof DISCOUNT_KINDS)[number];
  value?: number | undefined;
  applies_to: (typeof DISCOUNT_TARGETS)[number];
  target_ids: string[];
  starts_at: string | null;
  ends_at: string | null;
}

/**
 * The rules between fields: a percentage 1–100, a fixed amount above 0, no value for free shipping, and a window
 * that starts before it ends (migration 0010's checks, said field by field); targets exactly when the code is not
 * for the whole order (checked here only). Paths are relative to the body.
 */
export function termViolations(terms: DiscountTerms): { path: string; message: string }[] {
  const violations: { path: string; message: string }[] = [];
  const { kind, value } = terms;
  if (kind === "percentage" && (value === undefined || value < 1 || value > 100)) {
    violations.push({ path: "value", message: "A percentage is from 1 to 100" });
  }
  if (kind === "fixed" && (value === undefined || value < 1)) {
    violations.push({ path: "value", message: "A fixed amount is above 0 (smallest currency unit)" });
  }
  if (kind === "free_shipping" && value !== undefined && value !== 0) {
    violations.push({ path: "value", message: "A free-shipping code has no value (0 or none)" });
  }
  if (terms.applies_to === "order" && terms.target_ids.length > 0) {
    violations.push({ path: "target_ids", message: "Only for codes that apply to products or categories" });
  }
  if (terms.applies_to !== "order" && terms.target_ids.length === 0) {
    violations.push({ path: "target_ids", message: `At least one of the ${terms.applies_to} the code applies to` });
  }
  if (terms.starts_at !== null && terms.ends_at !== null && terms.starts_at >= terms.ends_at) {
    violations.push({ path: "ends_at", message: "Must be after starts_at" });
  }
  return violations;
}

export const CreateDiscountCodeSchema = z
  .strictObject({
    code: CodeTextSchema,
    kind: z.enum(DISCOUNT_KINDS),
    value: AmountSchema.optional().openapi({
      description:
        "percentage: 1–100; fixed: an amount above 0 in the smallest currency unit; free_shipping: 0 or omitted",
      example: 10,
    }),
    applies_to: z.enum(DISCOUNT_TARGETS).default("order"),
    target_ids: TargetIdsSchema.default([]),
    minimum_subtotal_amount: AmountSchema.default(0),
    starts_at: InstantSchema.default(null),
    ends_at: InstantSchema.default(null),
    usage_limit: LimitSchema.default(null).openapi({ description: "Orders that may use it in all; null: no limit" }),
    per_customer_limit: LimitSchema.default(null).openapi({ description: "Orders per customer; null: no limit" }),
    is_active: z.boolean().default(true),
  })
  .superRefine((body, context) => {
    for (const { path, message } of termViolations(body)) context.addIssue({ code: "custom", path: [path], message });
  })
  .openapi("CreateDiscountCodeRequest");

export const UpdateDiscountCodeSchema = z
  .strictObject({
    code: CodeTextSchema.optional().openapi({ description: "Only while no order has ever used the code" }),
    kind: z.enum(DISCOUNT_KINDS).optional(),
    value: AmountSchema.optional(),
    applies_to: z.enum(DISCOUNT_TARGETS).optional(),
    target_ids: TargetIdsSchema.optional().openapi({ description: "Replaces the targets" }),
    minimum_subtotal_amount: AmountSchema.optional(),
    starts_at: InstantSchema.optional(),
    ends_at: InstantSchema.optional(),
    usage_limit: LimitSchema.optional(),
    per_customer_limit: LimitSchema.optional(),
    is_active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateDiscountCodeRequest");

export const ListDiscountCodesQuerySchema = PaginationQuerySchema.extend({
  q: z.string().trim().min(1).max(32).optional().openapi({ description: "The start of the code, in any case" }),
});

export const AdminDiscountCodeSchema = z
  .object({
    id: z.string().openapi({ example: "dsc_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
    code: z.string(),
    kind: z.enum(DISCOUNT_KINDS),
    value: z.number().int(),
    applies_to: z.enum(DISCOUNT_TARGETS),
    target_ids: z.array(z.string()),
    minimum_subtotal_amount: z.number().int(),
    starts_at: z.string().nullable().openapi({ format: "date-time" }),
    ends_at: z.string().nullable().openapi({ format: "date-time" }),
    usage_limit: z.number().int().nullable(),
    per_customer_limit: z.number().int().nullable(),
    is_active: z.boolean(),
    times_used: z.number().int().openapi({ description: "Orders holding a use now (uses given back not counted)" }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AdminDiscountCode");
export type AdminDiscountCode = z.infer<typeof AdminDiscountCodeSchema>;
