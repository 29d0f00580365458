/** Tax rate schemas, defined once for validation, types and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { CountryCodeSchema } from "../../platform/countries";

const RegionSchema = z
  .string()
  .trim()
  .transform((region) => region.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9-]{0,10}$/, "must be up to 10 letters, digits or dashes"))
  .openapi({ description: "As addresses give it (`CA`); '' for the whole country", example: "" });
const NameSchema = z.string().trim().min(1).max(100).openapi({ example: "VAT" });
const RateSchema = z
  .number()
  .int("must be an integer number of basis points")
  .min(0)
  .max(10_000)
  .openapi({ description: "Basis points: 2000 is 20 %", example: 2000 });

export const TaxRateIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The tax rate's id" }),
});

export const CreateTaxRateSchema = z
  .strictObject({
    country: CountryCodeSchema,
    region: RegionSchema.default(""),
    name: NameSchema,
    rate_bps: RateSchema,
  })
  .openapi("CreateTaxRateRequest");

export const UpdateTaxRateSchema = z
  .strictObject({
    country: CountryCodeSchema.optional(),
    region: RegionSchema.optional(),
    name: NameSchema.optional(),
    rate_bps: RateSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to change" })
  .openapi("UpdateTaxRateRequest");

export const ListTaxRatesQuerySchema = z.object({
  country: CountryCodeSchema.optional().openapi({ description: "Only this country's rates" }),
});

export const TaxRateSchema = z
  .object({
    id: z.string().openapi({ example: "txr_0k2m4n6p8r0t2v4x6z8b0d1c8" }),
    country: z.string(),
    region: z.string(),
    name: z.string(),
    rate_bps: z.number().int(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("TaxRate");
export type TaxRate = z.infer<typeof TaxRateSchema>;
