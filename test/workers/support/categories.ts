import { expect } from "vitest";
import type { AdminCategory } from "../../../src/modules/catalog/schemas";
import { randomIp, type TestAccount, type Tokens, unique } from "./accounts";
import { callWorkerWith } from "./worker";

type Admin = TestAccount & { tokens: Tokens };

export type { AdminCategory };

export function uniqueSlug(prefix = "c-"): string {
  return unique(prefix).toLowerCase();
}

/** Creates a category through the admin API and asserts it was created. */
export async function createCategory(
  admin: Admin,
  fields: { slug?: string; name?: string; parent_id?: string | null; position?: number } = {},
): Promise<AdminCategory> {
  const slug = fields.slug ?? uniqueSlug();
  const response = await admin.client.json(
    "POST",
    "/api/admin/categories",
    { slug, name: fields.name ?? `Category ${slug}`, ...fields },
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as AdminCategory;
}

/** A chain of categories, each under the previous one: `chain[0]` is top-level, `chain[n - 1]` at depth n. */
export async function createChain(admin: Admin, length: number): Promise<AdminCategory[]> {
  const chain: AdminCategory[] = [];
  for (let level = 0; level < length; level++) {
    chain.push(await createCategory(admin, { parent_id: chain[level - 1]?.id ?? null }));
  }
  return chain;
}

export function patchCategory(admin: Admin, id: string, body: Record<string, unknown>): Promise<Response> {
  return admin.client.json("PATCH", `/api/admin/categories/${id}`, body, admin.tokens.access_token);
}

export function deleteCategory(admin: Admin, id: string, moveProductsTo?: string): Promise<Response> {
  const query = moveProductsTo === undefined ? "" : `?move_products_to=${encodeURIComponent(moveProductsTo)}`;
  return admin.client.fetch(`/api/admin/categories/${id}${query}`, {
    method: "DELETE",
    token: admin.tokens.access_token,
  });
}

export async function adminCategories(admin: Admin): Promise<AdminCategory[]> {
  const response = await admin.client.fetch("/api/admin/categories", { token: admin.tokens.access_token });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: AdminCategory[] }).data;
}

/** An origin of the caller's own: the edge cache keys by origin and path, so no other test shares its entries. */
export function ownOrigin(): string {
  return `https://${unique("t").toLowerCase()}.api.test`;
}

/** An anonymous GET of a full URL, through the edge cache of its origin. */
export function shopperGet(url: string): Promise<Response> {
  return callWorkerWith({}, url, { headers: { "CF-Connecting-IP": randomIp() } });
}

/** An anonymous GET that no stored answer can serve: what the database holds now. */
export function freshShopperGet(path: string): Promise<Response> {
  return shopperGet(`${ownOrigin()}${path}`);
}

export interface CreatedProduct {
  id: string;
  categories: { id: string; slug: string; name: string }[];
}

export function productBody(categoryIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    name: `Product ${unique()}`,
    // One option with one value: a product without options cannot be created yet (admin-products.handlers.ts
    // inserts its empty option list, which drizzle refuses).
    options: [{ name: "Size", values: ["One size"] }],
    variants: [{ sku: unique("SKU-"), price_amount: 1299, options: { Size: "One size" } }],
    category_ids: categoryIds,
    images: [{ url: "https://cdn.test/product.jpg" }],
    ...overrides,
  };
}

/** A product for sale (one option, one variant, one image) in these categories, made through the admin API. */
export async function createProductIn(
  admin: Admin,
  categoryIds: string[],
  overrides: Record<string, unknown> = {},
): Promise<CreatedProduct> {
  const response = await admin.client.json(
    "POST",
    "/api/admin/products",
    productBody(categoryIds, overrides),
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as CreatedProduct;
}

/** The ids of the products a shopper sees in a category (and below it), fresh from the database. */
export async function productIdsInCategory(slug: string): Promise<string[]> {
  const response = await freshShopperGet(`/api/products?category=${slug}&limit=100`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string }[] }).data.map((product) => product.id).sort();
}
