import { describe, expect, it } from "vitest";
import type { AdminProduct, ProductSummary, PublicProduct } from "../../../src/modules/catalog/schemas";
import { newId } from "../../../src/platform/ids";
import { categories } from "../../../src/schema";
import { signedInAdmin, type TestAccount, type Tokens, testClient, testDb, unique } from "../support/accounts";

type Admin = TestAccount & { tokens: Tokens };

interface VariantInput {
  sku: string;
  price_amount: number;
  options: Record<string, string>;
  initial_stock?: number;
  is_active?: boolean;
}

/** A word no other test uses, letters and digits only, so that search reads it as one term. */
function word(): string {
  return `zq${unique().toLowerCase()}`;
}

/** A category of this test's own (made directly in the database), so lists hold only its products. */
async function ownCategory(): Promise<{ id: string; slug: string }> {
  const now = new Date().toISOString();
  const category = { id: newId("cat"), slug: unique("cat-").toLowerCase() };
  await testDb()
    .insert(categories)
    .values({ ...category, name: category.slug, createdAt: now, updatedAt: now });
  return category;
}

/** A product with options and variants, through the admin API. */
async function createProduct(
  admin: Admin,
  product: {
    name: string;
    categoryId: string;
    options: { name: string; values: string[] }[];
    variants: VariantInput[];
  },
): Promise<AdminProduct> {
  const response = await admin.client.json(
    "POST",
    "/api/admin/products",
    {
      name: product.name,
      options: product.options,
      variants: product.variants.map((variant) => ({ initial_stock: 5, ...variant })),
      category_ids: [product.categoryId],
      images: [{ url: "https://cdn.example.com/product.jpg", alt: product.name }],
    },
    admin.tokens.access_token,
  );
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as AdminProduct;
}

function variantId(product: AdminProduct, sku: string): string {
  const variant = product.variants.find((candidate) => candidate.sku === sku);
  if (!variant) throw new Error(`no variant ${sku}`);
  return variant.id;
}

async function changeVariant(admin: Admin, id: string, method: "PATCH" | "DELETE", body?: unknown): Promise<void> {
  const response =
    method === "PATCH"
      ? await admin.client.json("PATCH", `/api/admin/variants/${id}`, body, admin.tokens.access_token)
      : await admin.client.fetch(`/api/admin/variants/${id}`, { method: "DELETE", token: admin.tokens.access_token });
  expect(response.status, await response.clone().text()).toBe(method === "PATCH" ? 200 : 204);
}

/**
 * A shopper's GET, from an origin of its own: the edge cache keys answers by origin and path, so every read here
 * is produced afresh and shows the writes before it (the cache itself is edge-cache.happy.test.ts's subject).
 */
async function shopperGet<T>(path: string): Promise<T> {
  const response = await testClient().fetch(`https://${unique("s").toLowerCase()}.api.test${path}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

async function list(query: string): Promise<ProductSummary[]> {
  return (await shopperGet<{ data: ProductSummary[] }>(`/api/products?${query}`)).data;
}

async function ids(query: string): Promise<string[]> {
  return (await list(query)).map((product) => product.id);
}

const SIZE = { name: "Size", values: ["S", "M", "L"] };

/** A product of the test's category with one variant per size, each with the price, stock and status given. */
function sizedProduct(
  admin: Admin,
  at: { categoryId: string; sku: string },
  name: string,
  variants: { price?: number; stock?: number; active?: boolean }[],
) {
  return createProduct(admin, {
    name,
    categoryId: at.categoryId,
    options: [SIZE],
    variants: variants.map((variant, index) => ({
      sku: `${at.sku}-${name}-${index}`,
      price_amount: variant.price ?? 1200,
      initial_stock: variant.stock ?? 5,
      is_active: variant.active ?? true,
      options: { Size: SIZE.values[index] ?? "" },
    })),
  });
}

describe("searching and listing products by their variants", () => {
  it("finds a product by a variant's sku and by an option value; a deleted or inactive variant's sku finds it no more", async () => {
    const admin = await signedInAdmin();
    const category = await ownCategory();
    const [kept, deleted, finish, paused] = [word(), word(), word(), word()];
    const product = await createProduct(admin, {
      name: "Plain shirt",
      categoryId: category.id,
      options: [SIZE, { name: "Finish", values: [finish, "Matte"] }],
      variants: [
        { sku: `${kept.toUpperCase()}-S`, price_amount: 2000, options: { Size: "S", Finish: finish } },
        { sku: `${deleted.toUpperCase()}-M`, price_amount: 2000, options: { Size: "M", Finish: "Matte" } },
        { sku: `${paused.toUpperCase()}-L`, price_amount: 2000, options: { Size: "L", Finish: "Matte" } },
      ],
    });

    expect(await ids(`q=${kept}`)).toEqual([product.id]);
    expect(await ids(`q=${deleted}`)).toEqual([product.id]);
    expect(await ids(`q=${finish}`)).toEqual([product.id]);
    // A word of no variant finds nothing: the matches above come from the variants.
    expect(await ids(`q=${word()}`)).toEqual([]);

    await changeVariant(admin, variantId(product, `${deleted.toUpperCase()}-M`), "DELETE");
    expect(await ids(`q=${deleted}`)).toEqual([]);
    expect(await ids(`q=${kept}`)).toEqual([product.id]);

    // A variant not for sale is no way to the product; back on sale, it is again.
    expect(await ids(`q=${paused}`)).toEqual([product.id]);
    await changeVariant(admin, variantId(product, `${paused.toUpperCase()}-L`), "PATCH", { is_active: false });
    expect(await ids(`q=${paused}`)).toEqual([]);
    await changeVariant(admin, variantId(product, `${paused.toUpperCase()}-L`), "PATCH", { is_active: true });
    expect(await ids(`q=${paused}`)).toEqual([product.id]);
  });

  it("shows the price range of the active variants: deactivating the dearest lowers the maximum", async () => {
    const admin = await signedInAdmin();
    const category = await ownCategory();
    const sku = word().toUpperCase();
    const product = await createProduct(admin, {
      name: "Ranged shirt",
      categoryId: category.id,
      options: [SIZE],
      variants: [
        { sku: `${sku}-S`, price_amount: 1500, options: { Size: "S" } },
        { sku: `${sku}-M`, price_amount: 2500, options: { Size: "M" } },
        { sku: `${sku}-L`, price_amount: 4000, options: { Size: "L" } },
      ],
    });
    const range = async () => {
      const [item] = await list(`category=${category.slug}`);
      return { id: item?.id, min: item?.price_min_amount, max: item?.price_max_amount };
    };
    expect(await range()).toEqual({ id: product.id, min: 1500, max: 4000 });

    await changeVariant(admin, variantId(product, `${sku}-L`), "PATCH", { is_active: false });
    expect(await range()).toEqual({ id: product.id, min: 1500, max: 2500 });
    const page = await shopperGet<PublicProduct>(`/api/products/${product.id}`);
    expect(page.variants.map((variant) => variant.sku)).toEqual([`${sku}-S`, `${sku}-M`]);
    expect([page.price_min_amount, page.price_max_amount]).toEqual([1500, 2500]);
  });

  it("a price range matches a product when one of its active variants is in it, not an inactive one", async () => {
    const admin = await signedInAdmin();
    const category = await ownCategory();
    const sku = word().toUpperCase();
    const make = (name: string, variants: { price: number; active?: boolean }[]) =>
      sizedProduct(admin, { categoryId: category.id, sku }, name, variants);
    const apart = await make("Alpha", [{ price: 1000 }, { price: 5000 }]);
    const hidden = await make("Bravo", [{ price: 1000 }, { price: 3000, active: false }]);
    const within = await make("Charlie", [{ price: 3000 }]);
    const inRange = (bounds: string) => ids(`category=${category.slug}&sort=name&${bounds}`);

    // Alpha's prices span 2500–3500 but none is in it; Bravo's one there is not for sale.
    expect(await inRange("min_price=2500&max_price=3500")).toEqual([within.id]);
    expect(await inRange("min_price=4000")).toEqual([apart.id]);
    expect(await inRange("max_price=1500")).toEqual([apart.id, hidden.id]);
    expect(await inRange("min_price=1000&max_price=5000")).toEqual([apart.id, hidden.id, within.id]);
  });

  it("in_stock=true leaves out a product whose variants for sale have no stock", async () => {
    const admin = await signedInAdmin();
    const category = await ownCategory();
    const sku = word().toUpperCase();
    const make = (name: string, variants: { stock: number; active?: boolean }[]) =>
      sizedProduct(admin, { categoryId: category.id, sku }, name, variants);
    const soldOut = await make("Alpha", [{ stock: 0 }, { stock: 0 }]);
    const oneLeft = await make("Bravo", [{ stock: 0 }, { stock: 3 }]);
    const onlyInactive = await make("Charlie", [{ stock: 0 }, { stock: 7, active: false }]);

    const all = await list(`category=${category.slug}&sort=name`);
    expect(all.map((product) => [product.id, product.in_stock])).toEqual([
      [soldOut.id, false],
      [oneLeft.id, true],
      [onlyInactive.id, false],
    ]);
    expect(await ids(`category=${category.slug}&sort=name&in_stock=true`)).toEqual([oneLeft.id]);
  });

  it("sort=price orders by the lowest active variant price, -price by the highest", async () => {
    const admin = await signedInAdmin();
    const category = await ownCategory();
    const sku = word().toUpperCase();
    const make = (name: string, variants: { price: number; active?: boolean }[]) =>
      sizedProduct(admin, { categoryId: category.id, sku }, name, variants);
    // Lowest: wide 1000, single 1500, narrow 2000 (its inactive 500 aside).
    // Highest: wide 9000, narrow 3000, single 1500 (its inactive 99999 aside).
    const wide = await make("Wide", [{ price: 1000 }, { price: 9000 }]);
    const narrow = await make("Narrow", [{ price: 2000 }, { price: 3000 }, { price: 500, active: false }]);
    const single = await make("Single", [{ price: 1500 }, { price: 99_999, active: false }]);

    const byPrice = await list(`category=${category.slug}&sort=price`);
    expect(byPrice.map((product) => [product.id, product.price_min_amount])).toEqual([
      [wide.id, 1000],
      [single.id, 1500],
      [narrow.id, 2000],
    ]);
    const byPriceDesc = await list(`category=${category.slug}&sort=-price`);
    expect(byPriceDesc.map((product) => [product.id, product.price_max_amount])).toEqual([
      [wide.id, 9000],
      [narrow.id, 3000],
      [single.id, 1500],
    ]);
  });
});
