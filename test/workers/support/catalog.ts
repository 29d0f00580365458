import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { products } from "../../../src/schema";
import { type TestAccount, type Tokens, testDb, unique } from "./accounts";

export interface AdminProduct {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_amount: number;
  currency: string;
  category: string | null;
  image_url: string | null;
  stock_available: number;
  in_stock: boolean;
  is_active: boolean;
  stock_version: number;
  deleted_at: string | null;
}

export function uniqueCategory(): string {
  return unique("cat-").toLowerCase();
}

export async function createProduct(
  admin: TestAccount & { tokens: Tokens },
  overrides: Record<string, unknown> = {},
): Promise<AdminProduct> {
  const response = await admin.client.json(
    "POST",
    "/api/admin/products",
    { sku: unique("SKU-"), name: `Product ${unique()}`, price_amount: 1299, ...overrides },
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as AdminProduct;
}

/** Sets a product's on-hand count through the admin inventory endpoint (its Durable Object), as an admin would. */
export async function setStock(
  admin: TestAccount & { tokens: Tokens },
  productId: string,
  onHand: number,
): Promise<void> {
  const response = await admin.client.json(
    "POST",
    `/api/admin/products/${productId}/inventory`,
    { set: onHand, reason: "test arrangement" },
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Only the catalog's mirror, not the inventory itself: for showing what shoppers see when the two differ. */
export async function setStockMirror(productId: string, available: number): Promise<void> {
  await testDb().update(products).set({ stockAvailable: available }).where(eq(products.id, productId));
}
