import { and, eq, isNull, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { AdminProduct, AdminVariant } from "../../../src/modules/catalog/schemas";
import { cartItems, productOptions, products, productVariants } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { asShopper, placeOrder } from "../support/shopping";
import {
  type Admin,
  addVariant,
  adminProduct,
  asAdmin,
  cartOf,
  createShirt,
  problemCode,
  SHIRT_OPTIONS,
  type ShirtVariantInput,
  shirtVariants,
  variantOf,
} from "../support/variants";
import { type Problem, readProblem } from "../support/worker";

type ShirtBody = {
  name: string;
  options: typeof SHIRT_OPTIONS;
  variants: ShirtVariantInput[];
};

/** A T-shirt's create request (options Size × Colour, six variants), and the prefix all its skus start with. */
function shirtBody(): ShirtBody & { skuPrefix: string } {
  const skuPrefix = unique("TEE-").toUpperCase();
  return { name: `T-shirt ${skuPrefix}`, options: SHIRT_OPTIONS, variants: shirtVariants(skuPrefix), skuPrefix };
}

/** Posts a create request: a shirt's (without its sku prefix, which is the test's), or any other body. */
function createRaw(admin: Admin, body: Record<string, unknown>) {
  const { skuPrefix: _, ...sent } = body;
  return asAdmin(admin, "POST", "/api/admin/products", sent);
}

/** The answer is a 422 naming this one field, with a message that says why. */
async function expectInvalid(response: Response, path: string, message: RegExp): Promise<void> {
  expect(response.status, await response.clone().text()).toBe(422);
  const problem = await readProblem(response);
  expect(problemCode(problem)).toBe("validation_error");
  expect(problem.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
}

/** The answer is a problem of this status and kind. */
async function expectProblem(response: Response, status: number, code: string): Promise<Problem> {
  expect(response.status, await response.clone().text()).toBe(status);
  const problem = await readProblem(response);
  expect(problemCode(problem)).toBe(code);
  return problem;
}

/** Variants whose sku starts with the prefix: none, after a refused create. */
async function variantsWithSkuPrefix(prefix: string) {
  return testDb()
    .select()
    .from(productVariants)
    .where(like(productVariants.sku, `${prefix}%`));
}

async function deleteVariant(admin: Admin, variantId: string): Promise<void> {
  const response = await asAdmin(admin, "DELETE", `/api/admin/variants/${variantId}`);
  expect(response.status, await response.clone().text()).toBe(204);
}

async function liveVariantsOf(productId: string) {
  return testDb()
    .select()
    .from(productVariants)
    .where(and(eq(productVariants.productId, productId), isNull(productVariants.deletedAt)));
}

async function variantRow(id: string) {
  const [row] = await testDb().select().from(productVariants).where(eq(productVariants.id, id));
  return row;
}

describe("variants: what a create refuses (422)", () => {
  it("a variant missing a value of an option, naming an unknown option or value, or repeating a combination", async () => {
    const admin = await signedInAdmin();
    const cases: { index: number; options: Record<string, string>; message: RegExp }[] = [
      { index: 1, options: { Size: "S" }, message: /Choose a value of "Colour"/ },
      { index: 2, options: { Size: "M", Colour: "Black", Fit: "Slim" }, message: /No option named "Fit"/ },
      { index: 3, options: { Size: "XXL", Colour: "Black" }, message: /"XXL" is not a value of "Size"/ },
      { index: 4, options: { Size: "S", Colour: "Black" }, message: /Same options as variant 0/ },
    ];
    for (const { index, options, message } of cases) {
      const body = shirtBody();
      body.variants = body.variants.map((variant, at) => (at === index ? { ...variant, options } : variant));
      await expectInvalid(await createRaw(admin, body), `body.variants.${index}.options`, message);
      expect(await variantsWithSkuPrefix(body.skuPrefix)).toEqual([]);
    }
  });

  it("two variants with the same sku, in any case", async () => {
    const admin = await signedInAdmin();
    const body = shirtBody();
    const first = body.variants[0] as ShirtVariantInput;
    body.variants = body.variants.map((variant, at) =>
      at === 5 ? { ...variant, sku: first.sku.toLowerCase() } : variant,
    );
    await expectInvalid(await createRaw(admin, body), "body.variants", /Two variants have the sku/);
    expect(await variantsWithSkuPrefix(body.skuPrefix)).toEqual([]);
  });

  // Creates a product of 100 variants (and a stock object for each): seconds of work on a loaded 2-core machine.
  it("more than 3 options, or more than 100 variants", { timeout: 30_000 }, async () => {
    const admin = await signedInAdmin();
    const fourOptions = ["Size", "Colour", "Fit", "Sleeve"].map((name) => ({ name, values: ["A", "B"] }));
    const prefix = unique("OPT-").toUpperCase();
    await expectInvalid(
      await createRaw(admin, {
        name: "Four options",
        options: fourOptions,
        variants: [
          {
            sku: `${prefix}-1`,
            price_amount: 1000,
            options: Object.fromEntries(fourOptions.map((option) => [option.name, "A"])),
          },
        ],
      }),
      "body.options",
      /at most 3|<=3/i,
    );

    // 11 × 10 combinations, of which 101 are given: each one valid and distinct, only their number is wrong.
    const tens = Array.from({ length: 10 }, (_, index) => `v${index}`);
    const elevens = [...tens, "v10"];
    const many = elevens.flatMap((a) => tens.map((b) => ({ A: a, B: b }))).slice(0, 101);
    const manyPrefix = unique("MANY-").toUpperCase();
    await expectInvalid(
      await createRaw(admin, {
        name: "A hundred and one",
        options: [
          { name: "A", values: elevens },
          { name: "B", values: tens },
        ],
        variants: many.map((options, index) => ({ sku: `${manyPrefix}-${index}`, price_amount: 1000, options })),
      }),
      "body.variants",
      /at most 100|<=100/i,
    );
    expect(await variantsWithSkuPrefix(manyPrefix)).toEqual([]);
    // One fewer is a product.
    const hundred = await createRaw(admin, {
      name: "A hundred",
      options: [
        { name: "A", values: elevens },
        { name: "B", values: tens },
      ],
      variants: many
        .slice(0, 100)
        .map((options, index) => ({ sku: `${manyPrefix}-${index}`, price_amount: 1000, options })),
    });
    expect(hundred.status, await hundred.clone().text()).toBe(201);
    const full = (await hundred.json()) as AdminProduct;
    expect(full.variants).toHaveLength(100);
    // The 101st combination, added on its own, is over the limit too.
    const over = await asAdmin(admin, "POST", `/api/admin/products/${full.id}/variants`, {
      sku: `${manyPrefix}-100`,
      price_amount: 1000,
      options: many[100],
    });
    await expectProblem(over, 409, "variant_limit");
    expect(await liveVariantsOf(full.id)).toHaveLength(100);
  });

  it("a product without options given two variants", async () => {
    const admin = await signedInAdmin();
    const prefix = unique("PLAIN-").toUpperCase();
    await expectInvalid(
      await createRaw(admin, {
        name: "Plain mug",
        variants: [
          { sku: `${prefix}-1`, price_amount: 900 },
          { sku: `${prefix}-2`, price_amount: 950 },
        ],
      }),
      "body.variants.1.options",
      /Same options as variant 0/,
    );
    expect(await variantsWithSkuPrefix(prefix)).toEqual([]);
  });

  it("a compare-at price not above the price: on create, on add, on PATCH, and when a new price reaches it", async () => {
    const admin = await signedInAdmin();
    const body = shirtBody();
    const first = body.variants[0] as ShirtVariantInput;
    body.variants = body.variants.map((variant, at) =>
      at === 0 ? { ...variant, compare_at_amount: first.price_amount } : variant,
    );
    await expectInvalid(await createRaw(admin, body), "body.variants.0.compare_at_amount", /above price_amount/);
    expect(await variantsWithSkuPrefix(body.skuPrefix)).toEqual([]);

    const { product } = await createShirt(admin);
    const added = await asAdmin(admin, "POST", `/api/admin/products/${product.id}/variants`, {
      sku: unique("TEE-").toUpperCase(),
      price_amount: 3000,
      compare_at_amount: 2999,
      options: { Size: "S", Colour: "Black" },
    });
    await expectInvalid(added, "body.compare_at_amount", /above price_amount/);

    const onSale = variantOf(product, "M", "Black");
    const compareAt = onSale.compare_at_amount ?? 0;
    expect(compareAt).toBeGreaterThan(onSale.price_amount);
    const patch = (changes: Record<string, unknown>) =>
      asAdmin(admin, "PATCH", `/api/admin/variants/${onSale.id}`, changes);
    await expectInvalid(await patch({ price_amount: compareAt }), "body.compare_at_amount", /above price_amount/);
    await expectInvalid(await patch({ compare_at_amount: onSale.price_amount }), "body.compare_at_amount", /above/);
    await expectInvalid(
      await patch({ price_amount: 5000, compare_at_amount: 4000 }),
      "body.compare_at_amount",
      /above price_amount/,
    );
    expect(await variantRow(onSale.id)).toMatchObject({ priceAmount: onSale.price_amount, compareAtAmount: compareAt });
    // Raising both together, in order, is a change.
    expect((await patch({ price_amount: compareAt, compare_at_amount: compareAt + 1 })).status).toBe(200);
  });

  it("an added variant with a value its option lacks, or without a value of each option", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    const add = (options: Record<string, string>) =>
      asAdmin(admin, "POST", `/api/admin/products/${product.id}/variants`, {
        sku: unique("TEE-").toUpperCase(),
        price_amount: 3000,
        options,
      });
    await expectInvalid(await add({ Size: "XL", Colour: "Black" }), "body.options", /"XL" is not a value of "Size"/);
    await expectInvalid(await add({ Size: "M" }), "body.options", /Choose a value of "Colour"/);
    expect((await adminProduct(admin, product.id)).variants).toHaveLength(product.variants.length);
  });
});

describe("variants: conflicts (409)", () => {
  it("a sku another product's variant has, in any case: sku_conflict on create, on add and on PATCH", async () => {
    const admin = await signedInAdmin();
    const { product: first } = await createShirt(admin);
    const { product: second } = await createShirt(admin);
    const taken = variantOf(first, "L", "White").sku.toLowerCase();

    const body = shirtBody();
    body.variants = body.variants.map((variant, at) => (at === 2 ? { ...variant, sku: taken } : variant));
    await expectProblem(await createRaw(admin, body), 409, "sku_conflict");
    expect(await variantsWithSkuPrefix(body.skuPrefix)).toEqual([]);
    expect(await testDb().select().from(products).where(eq(products.name, body.name))).toEqual([]);

    const removed = variantOf(second, "S", "Black");
    await deleteVariant(admin, removed.id);
    await expectProblem(
      await asAdmin(admin, "POST", `/api/admin/products/${second.id}/variants`, {
        sku: taken,
        price_amount: 2000,
        options: removed.options,
      }),
      409,
      "sku_conflict",
    );
    const renamed = variantOf(second, "M", "White");
    await expectProblem(
      await asAdmin(admin, "PATCH", `/api/admin/variants/${renamed.id}`, { sku: taken }),
      409,
      "sku_conflict",
    );
    expect((await variantRow(renamed.id))?.sku).toBe(renamed.sku);
  });

  it("adding a combination a live variant has: variant_exists; once that variant is deleted, it can be added", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    const existing = variantOf(product, "M", "White");
    const add = () =>
      asAdmin(admin, "POST", `/api/admin/products/${product.id}/variants`, {
        sku: unique("TEE-").toUpperCase(),
        price_amount: 2500,
        options: { Size: "M", Colour: "White" },
      });
    await expectProblem(await add(), 409, "variant_exists");
    expect((await adminProduct(admin, product.id)).variants).toHaveLength(product.variants.length);

    await deleteVariant(admin, existing.id);
    const again = await add();
    expect(again.status, await again.clone().text()).toBe(201);
    expect(((await again.json()) as AdminVariant).title).toBe("M / White");
  });

  it("removing an option value a live variant uses: option_value_in_use; once none does, it can go", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    const withoutLarge = SHIRT_OPTIONS.map((option) =>
      option.name === "Size" ? { ...option, values: option.values.filter((value) => value !== "L") } : option,
    );
    const replace = () => asAdmin(admin, "PUT", `/api/admin/products/${product.id}/options`, { options: withoutLarge });

    await expectProblem(await replace(), 409, "option_value_in_use");
    const stored = await testDb().select().from(productOptions).where(eq(productOptions.productId, product.id));
    expect(stored.find((option) => option.name === "Size")?.values).toEqual(["S", "M", "L"]);

    for (const colour of ["Black", "White"]) await deleteVariant(admin, variantOf(product, "L", colour).id);
    const replaced = await replace();
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    expect(((await replaced.json()) as AdminProduct).options).toEqual(withoutLarge);
  });

  it("adding or removing an option once variants exist: options_fixed", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    const replace = (options: unknown) =>
      asAdmin(admin, "PUT", `/api/admin/products/${product.id}/options`, { options });

    await expectProblem(await replace([...SHIRT_OPTIONS, { name: "Fit", values: ["Slim"] }]), 409, "options_fixed");
    await expectProblem(await replace(SHIRT_OPTIONS.slice(0, 1)), 409, "options_fixed");
    expect((await adminProduct(admin, product.id)).options).toEqual(SHIRT_OPTIONS);
    // Renaming an option keeps their number: allowed.
    const renamed = SHIRT_OPTIONS.map((option) => (option.name === "Colour" ? { ...option, name: "Color" } : option));
    const answer = await replace(renamed);
    expect(answer.status, await answer.clone().text()).toBe(200);
    const after = (await answer.json()) as AdminProduct;
    expect(after.options).toEqual(renamed);
    expect(after.variants.find((variant) => variant.title === "M / Black")?.options).toEqual({
      Size: "M",
      Color: "Black",
    });
  });

  it("deleting the last live variant: last_variant, and it stays", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    const [last, ...rest] = product.variants;
    if (!last) throw new Error("no variant");
    for (const variant of rest) await deleteVariant(admin, variant.id);

    await expectProblem(await asAdmin(admin, "DELETE", `/api/admin/variants/${last.id}`), 409, "last_variant");
    expect(await variantRow(last.id)).toMatchObject({ id: last.id, deletedAt: null });
  });
});

describe("variants in the cart", () => {
  it("a product of several variants added by product_id alone: 422 variant_required listing each variant for sale", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const inactive = variantOf(product, "S", "White");
    const deleted = variantOf(product, "L", "Black");
    expect((await asAdmin(admin, "PATCH", `/api/admin/variants/${inactive.id}`, { is_active: false })).status).toBe(
      200,
    );
    await deleteVariant(admin, deleted.id);

    const response = await shopper.client.json(
      "POST",
      "/api/cart/items",
      { product_id: product.id, quantity: 1 },
      shopper.token,
    );
    const problem = (await expectProblem(response, 422, "variant_required")) as Problem & {
      variants: { id: string; title: string; sku: string }[];
    };
    expect(problem.variants).toEqual(
      product.variants
        .filter((variant) => variant.id !== inactive.id && variant.id !== deleted.id)
        .map((variant) => ({ id: variant.id, title: variant.title, sku: variant.sku })),
    );
    expect((await cartOf(shopper)).items).toEqual([]);
  });

  it("product_id alone is enough when one variant is for sale: that one is added", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const [kept, ...rest] = product.variants;
    if (!kept) throw new Error("no variant");
    for (const variant of rest.slice(0, 2)) await deleteVariant(admin, variant.id);
    for (const variant of rest.slice(2)) {
      expect((await asAdmin(admin, "PATCH", `/api/admin/variants/${variant.id}`, { is_active: false })).status).toBe(
        200,
      );
    }

    const response = await shopper.client.json(
      "POST",
      "/api/cart/items",
      { product_id: product.id, quantity: 1 },
      shopper.token,
    );
    expect(response.status, await response.clone().text()).toBe(201);
    expect((await cartOf(shopper)).items.map((item) => item.variant_id)).toEqual([kept.id]);
  });

  it("an inactive, a deleted or a removed variant, or one given with another product's id: 404", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const buyer = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const other = await createProduct(admin, { initial_stock: 5 });
    const inactive = variantOf(product, "S", "Black");
    const softDeleted = variantOf(product, "M", "Black");
    const removed = variantOf(product, "L", "Black");
    const forSale = variantOf(product, "L", "White");

    expect((await asAdmin(admin, "PATCH", `/api/admin/variants/${inactive.id}`, { is_active: false })).status).toBe(
      200,
    );
    expect((await addVariant(buyer, softDeleted.id, 1)).status).toBe(201);
    expect((await placeOrder(buyer)).status).toBe(201);
    await deleteVariant(admin, softDeleted.id);
    expect((await variantRow(softDeleted.id))?.deletedAt).toEqual(expect.any(String));
    await deleteVariant(admin, removed.id);
    expect(await variantRow(removed.id)).toBeUndefined();

    for (const variant of [inactive, softDeleted, removed]) {
      await expectProblem(await addVariant(shopper, variant.id, 1), 404, "not_found");
    }
    await expectProblem(await addVariant(shopper, forSale.id, 1, { product_id: other.id }), 404, "not_found");
    await expectProblem(await addVariant(shopper, other.variant_id, 1, { product_id: product.id }), 404, "not_found");
    expect(await testDb().select().from(cartItems).where(eq(cartItems.variantId, forSale.id))).toEqual([]);
    // The same variant with its own product's id is added.
    const added = await addVariant(shopper, forSale.id, 1, { product_id: product.id });
    expect(added.status, await added.clone().text()).toBe(201);
    expect((await cartOf(shopper)).items.map((item) => item.variant_id)).toEqual([forSale.id]);
  });
});
