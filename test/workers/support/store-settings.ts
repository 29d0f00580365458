/**
 * Discount codes, shipping zones and tax rates made through the admin API, for tests that need them arranged.
 * Inputs and results are typed from the API's own schemas. The test database is shared by parallel files: codes
 * are random, and a zone's countries must be ones no other test uses.
 */
import type { z } from "@hono/zod-openapi";
import { expect } from "vitest";
import type { AdminDiscountCode, CreateDiscountCodeSchema } from "../../../src/modules/discounts/schemas";
import type { CreateShippingMethodSchema, ShippingZone } from "../../../src/modules/shipping/schemas";
import type { CreateTaxRateSchema, TaxRate } from "../../../src/modules/tax/schemas";
import { type TestAccount, type Tokens, unique } from "./accounts";
import type { Shopper } from "./shopping";

type Admin = TestAccount & { tokens: Tokens };

export type DiscountCodeInput = z.input<typeof CreateDiscountCodeSchema>;
export type ShippingMethodInput = z.input<typeof CreateShippingMethodSchema>;
export type TaxRateInput = z.input<typeof CreateTaxRateSchema>;
export type { AdminDiscountCode, ShippingZone, TaxRate };

/** A code no other test has: 18 characters, upper case. */
export function uniqueCode(prefix = "T-"): string {
  return unique(prefix).toUpperCase();
}

/** A region no other test has, so any country can take a rate for it. */
export function uniqueRegion(): string {
  return unique("R").slice(0, 10).toUpperCase();
}

/** An admin's JSON call, with the admin's token. */
export function adminCall(admin: Admin, method: string, path: string, body?: unknown): Promise<Response> {
  return body === undefined
    ? admin.client.fetch(path, { method, token: admin.tokens.access_token })
    : admin.client.json(method, path, body, admin.tokens.access_token);
}

/** The body of a response with this status (the response's text in the failure message otherwise). */
export async function expectBody<T>(response: Response, status: number): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

/** A code (by default 10 % off the whole order, with a random code) made through the admin API. */
export async function createDiscountCode(
  admin: Admin,
  overrides: Partial<DiscountCodeInput> = {},
): Promise<AdminDiscountCode> {
  const body = { code: uniqueCode(), kind: "percentage", value: 10, ...overrides };
  return expectBody(await adminCall(admin, "POST", "/api/admin/discount-codes", body), 201);
}

/** A zone for these countries with these methods (each added in order), as the admin API then shows it. */
export async function createShippingZone(
  admin: Admin,
  zone: { countries: string[]; methods?: ShippingMethodInput[]; name?: string },
): Promise<ShippingZone> {
  const { id } = await expectBody<ShippingZone>(
    await adminCall(admin, "POST", "/api/admin/shipping-zones", {
      name: zone.name ?? `Zone ${unique()}`,
      countries: zone.countries,
    }),
    201,
  );
  for (const method of zone.methods ?? []) {
    await expectBody(await adminCall(admin, "POST", `/api/admin/shipping-zones/${id}/methods`, method), 201);
  }
  return expectBody(await adminCall(admin, "GET", `/api/admin/shipping-zones/${id}`), 200);
}

/** A rate (by default 20 % "VAT") for a country, or a region of it, made through the admin API. */
export async function createTaxRate(
  admin: Admin,
  rate: Pick<TaxRateInput, "country"> & Partial<TaxRateInput>,
): Promise<TaxRate> {
  return expectBody(
    await adminCall(admin, "POST", "/api/admin/tax-rates", { name: "VAT", rate_bps: 2000, ...rate }),
    201,
  );
}

/** A shopper's `PUT /api/cart/discount` with this code, as answered. */
export function applyCode(shopper: Shopper, code: string): Promise<Response> {
  return shopper.client.json("PUT", "/api/cart/discount", { code }, shopper.token);
}
