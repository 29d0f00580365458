/** Shipping zone and method schemas, defined once for validation, types and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { CountryCodeSchema } from "../../platform/countries";
import { SHIPPING_RATE_KINDS } from "./tables";

const MAX_AMOUNT = 1_000_000_000;
const MAX_TIERS = 20;

const AmountSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_AMOUNT)
  .openapi({ description: "In the smallest unit of the store currency", example: 490 });
const NameSchema = z.string().trim().min(1).max(100);
const PositionSchema = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .openapi({ description: "Order among the zone's methods" });

export const ShippingIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The shipping zone's or method's id, as the path says" }),
});

const TierSchema = z
  .strictObject({
    min: z
      .number()
      .int()
      .min(0)
      .max(MAX_AMOUNT)
      .openapi({ description: "From this subtotal (smallest currency unit) or weight (grams) upwards" }),
    amount: AmountSchema,
  })
  .openapi("ShippingTier");

const TiersSchema = z.array(TierSchema).min(1).max(MAX_TIERS).openapi({
  description: "For `subtotal_tiers` and `weight_tiers`: the first from 0, each `min` above the one before",
});

type Tier = z.infer<typeof TierSchema>;

/** How a method is priced, as a request gives it or a row holds it (`undefined`: not given). */
export interface RateTerms {
  rate_kind: (typeof SHIPPING_RATE_KINDS)[number];
  amount?: number | undefined;
  tiers?: Tier[] | undefined;
}

/**
 * A flat method has an amount and no tiers; a tiered one has tiers (the first from 0, ascending strictly) and no
 * amount. Paths are relative to the body.
 */
export function rateViolations({ rate_kind, amount, tiers }: RateTerms): { path: string; message: string }[] {
  if (rate_kind === "flat") {
    return [
      ...(amount === undefined ? [{ path: "amount", message: "Required for a flat rate" }] : []),
      ...(tiers !== undefined ? [{ path: "tiers", message: "Only for subtotal_tiers and weight_tiers" }] : []),
    ];
  }
  if (amount !== undefined) return [{ path: "amount", message: "Only for a flat rate: tiers set the amounts" }];
  if (tiers === undefined) return [{ path: "tiers", message: `Required for ${rate_kind}` }];
  if (tiers[0]?.min !== 0) return [{ path: "tiers.0.min", message: "The first tier starts at 0" }];
  return tiers.flatMap((tier, index) => {
    const previous = tiers[index - 1];
    return previous && tier.min <= previous.min
      ? [{ path: `tiers.${index}.min`, message: "Must be above the previous tier's min" }]
      : [];
  });
}

export const CreateShippingMethodSchema = z
  .strictObject({
    name: NameSchema.openapi({ example: "Standard" }),
    rate_kind: z.enum(SHIPPING_RATE_KINDS),
    amount: AmountSchema.optional().openapi({ description: "The price of a flat rate" }),
    tiers: TiersSchema.optional(),
    free_over_amount: AmountSchema.nullable()
      .default(null)
      .openapi({ description: "Free from this subtotal (after discount) upwards; null: never free" }),
    is_active: z.boolean().default(true),
    position: PositionSchema.default(0),
  })
  .superRefine((body, context) => {
    for (const { path, message } of rateViolations(body)) {
      context.addIssue({ code: "custom", path: path.split("."), message });
    }
  })
  .openapi("CreateShippingMethodRequest");

export const UpdateShippingMethodSchema = z
  .strictObject({
    name: NameSchema.optional(),
    rate_kind: z.enum(SHIPPING_RATE_KINDS).optional(),
    amount: AmountSchema.optional(),
    tiers: TiersSchema.optional().openapi({ description: "Replaces the tiers" }),
    free_over_amount: AmountSchema.nullable().optional(),
    is_active: z.boolean().optional(),
    position: PositionSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateShippingMethodRequest");

export const ShippingMethodSchema = z
  .object({
    id: z.string().openapi({ example: "shm_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
    zone_id: z.string(),
    name: z.string(),
    rate_kind: z.enum(SHIPPING_RATE_KINDS),
    amount: z.number().int().openapi({ description: "The flat rate; 0 for tiered methods" }),
    tiers: z.array(TierSchema),
    free_over_amount: z.number().int().nullable(),
    is_active: z.boolean(),
    position: z.number().int(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("ShippingMethod");
export type ShippingMethod = z.infer<typeof ShippingMethodSchema>;

const CountriesSchema = z
  .array(CountryCodeSchema)
  .max(250)
  .superRefine((countries, context) => {
    const seen = new Set<string>();
    for (const [index, country] of countries.entries()) {
      if (seen.has(country)) context.addIssue({ code: "custom", path: [index], message: `${country} is listed twice` });
      seen.add(country);
    }
  })
  .openapi({ description: "ISO 3166-1 alpha-2 codes; a country is in one zone at most", example: ["FR", "DE"] });

export const CreateShippingZoneSchema = z
  .strictObject({
    name: NameSchema.openapi({ example: "Europe" }),
    countries: CountriesSchema.default([]),
    is_fallback: z
      .boolean()
      .default(false)
      .openapi({ description: "Serves every country no zone names; one zone at most" }),
  })
  .openapi("CreateShippingZoneRequest");

export const UpdateShippingZoneSchema = z
  .strictObject({
    name: NameSchema.optional(),
    countries: CountriesSchema.optional().openapi({ description: "Replaces the zone's countries (the full set)" }),
    is_fallback: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateShippingZoneRequest");

export const ShippingZoneSchema = z
  .object({
    id: z.string().openapi({ example: "shz_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
    name: z.string(),
    countries: z.array(z.string()).openapi({ description: "Alphabetical" }),
    is_fallback: z.boolean(),
    methods: z.array(ShippingMethodSchema).openapi({ description: "By position, then name" }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("ShippingZone");
export type ShippingZone = z.infer<typeof ShippingZoneSchema>;
