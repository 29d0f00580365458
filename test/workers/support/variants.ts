import { expect } from "vitest";
import type { AdminProduct } from "../../../src/modules/catalog/schemas";
import { type TestAccount, type Tokens, testClient, unique } from "./accounts";
import { createProduct, type TestProduct, uniqueCategory } from "./catalog";
import type { Shopper } from "./shopping";

export type Admin = TestAccount & { tokens: Tokens };

export const SIZES = ["S", "M", "L"] as const;
export const COLOURS = ["Black", "White"] as const;
export type Size = (typeof SIZES)[number];
export type Colour = (typeof COLOURS)[number];

export interface ShirtVariantInput {
  sku: string;
  price_amount: number;
  compare_at_amount?: number;
  weight_grams: number;
  initial_stock: number;
  options: Record<string, string>;
}

export interface Shirt {
  product: TestProduct;
  /** What the admin sent for each variant, in the order sent. */
  input: ShirtVariantInput[];
  categorySlug: string;
  /** The sku of the variant the second image is tied to. */
  imageSku: string;
}

const BASE_PRICE: Record<Size, number> = { S: 2000, M: 2200, L: 2600 };
const WEIGHT: Record<Size, number> = { S: 160, M: 180, L: 200 };

/**
 * The six variants of a T-shirt, Size (S, M, L) × Colour (Black, White): each its own sku, price (L dearer,
 * White 100 more), weight and initial stock; M / Black has a compare-at price; S / White starts with no stock.
 */
export function shirtVariants(skuPrefix: string, stock: (size: Size, colour: Colour) => number = defaultStock) {
  return SIZES.flatMap((size) =>
    COLOURS.map((colour): ShirtVariantInput => {
      const price = BASE_PRICE[size] + (colour === "White" ? 100 : 0);
      return {
        sku: `${skuPrefix}-${size}-${colour.toUpperCase()}`,
        price_amount: price,
        ...(size === "M" && colour === "Black" ? { compare_at_amount: price + 700 } : {}),
        weight_grams: WEIGHT[size],
        initial_stock: stock(size, colour),
        options: { Size: size, Colour: colour },
      };
    }),
  );
}

function defaultStock(size: Size, colour: Colour): number {
  if (size === "S" && colour === "White") return 0;
  return 3 + SIZES.indexOf(size) * 4 + COLOURS.indexOf(colour);
}

export interface OptionInput {
  name: string;
  values: string[];
}

export const SHIRT_OPTIONS: OptionInput[] = [
  { name: "Size", values: [...SIZES] },
  { name: "Colour", values: [...COLOURS] },
];

/** The T-shirt, created through the admin API, in a category of its own, with a general image and one for M / White. */
export async function createShirt(
  admin: Admin,
  stock?: (size: Size, colour: Colour) => number,
  extra: Record<string, unknown> = {},
): Promise<Shirt> {
  const skuPrefix = unique("TEE-").toUpperCase();
  const input = shirtVariants(skuPrefix, stock);
  const categorySlug = uniqueCategory();
  const imageSku = `${skuPrefix}-M-WHITE`;
  const product = await createProduct(admin, {
    name: `T-shirt ${skuPrefix}`,
    description: "Heavy cotton crew neck",
    options: SHIRT_OPTIONS,
    variants: input,
    images: [
      { url: "https://cdn.example.com/tee.jpg", alt: "The shirt, front" },
      { url: "https://cdn.example.com/tee-white.jpg", alt: "The shirt in white", variant_sku: imageSku },
    ],
    category: categorySlug,
    ...extra,
  });
  return { product, input, categorySlug, imageSku };
}

/** The variant with these option values. */
export function variantOf<V extends { options: Record<string, string> }>(
  product: { variants: V[] },
  size: string,
  colour: string,
): V {
  const variant = product.variants.find(
    (candidate) => candidate.options.Size === size && candidate.options.Colour === colour,
  );
  if (!variant) throw new Error(`no variant ${size} / ${colour}`);
  return variant;
}

/** What an admin's request answers (the body is left to the caller). */
export function asAdmin(admin: Admin, method: string, path: string, body?: unknown): Promise<Response> {
  return body === undefined
    ? admin.client.fetch(path, { method, token: admin.tokens.access_token })
    : admin.client.json(method, path, body, admin.tokens.access_token);
}

/** The product as an admin reads it now. */
export async function adminProduct(admin: Admin, productId: string): Promise<AdminProduct> {
  const response = await asAdmin(admin, "GET", `/api/admin/products/${productId}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as AdminProduct;
}

/**
 * A shopper's GET, from an origin of its own: the edge cache keys answers by origin and path, so every read here
 * is produced afresh and shows the writes before it (the cache itself is edge-cache.happy.test.ts's subject).
 */
export async function shopperGet<T>(path: string): Promise<T> {
  const response = await testClient().fetch(`https://${unique("s").toLowerCase()}.api.test${path}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** A shopper adds a variant to the cart by its id; the answer is the caller's to check. */
export function addVariant(shopper: Shopper, variantId: string, quantity: number, extra: Record<string, unknown> = {}) {
  return shopper.client.json("POST", "/api/cart/items", { variant_id: variantId, quantity, ...extra }, shopper.token);
}

export interface CartBody {
  items: {
    id: string;
    product_id: string;
    variant_id: string;
    variant_title: string;
    sku: string;
    unit_price_amount: number;
    quantity: number;
    line_amount: number;
    available: boolean;
  }[];
  subtotal_amount: number;
  warnings: { code: string; variant_id: string }[];
}

export async function cartOf(shopper: Shopper): Promise<CartBody> {
  const response = await shopper.client.fetch("/api/cart", { token: shopper.token });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as CartBody;
}

/** The problem's machine-readable kind: `urn:edge-commerce:problem:<code>`. */
export function problemCode(problem: { type: string }): string {
  return problem.type.replace("urn:edge-commerce:problem:", "");
}
