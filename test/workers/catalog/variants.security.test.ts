import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AdminProduct, AdminVariant } from "../../../src/modules/catalog/schemas";
import { orders, productOptions, productVariants } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { setStock } from "../support/catalog";
import { stubStripe, WITH_STRIPE, workingStripe } from "../support/payments";
import {
  ADDRESS,
  asShopper,
  ledgerTotals,
  type OrderBody,
  orderStatusCounts,
  placeOrder,
  placeOrderWith,
  quickShoppers,
  STANDARD_SHIPPING,
  stockOf,
} from "../support/shopping";
import {
  type Admin,
  addVariant,
  adminProduct,
  asAdmin,
  cartOf,
  createShirt,
  type OptionInput,
  problemCode,
  SHIRT_OPTIONS,
  variantOf,
} from "../support/variants";
import { type Problem, readProblem } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Each variant's stock object level, by variant id (its ledger brought up to date first). */
async function levels(variants: AdminVariant[]) {
  return Object.fromEntries(
    await Promise.all(
      variants.map(async (variant) => {
        const { onHand, reserved, version } = await stockOf(variant.id).syncMirror();
        return [variant.id, { onHand, reserved, version }] as const;
      }),
    ),
  );
}

async function variantRow(id: string) {
  const [row] = await testDb().select().from(productVariants).where(eq(productVariants.id, id));
  return row;
}

async function liveVariantRows(productId: string) {
  return testDb()
    .select()
    .from(productVariants)
    .where(and(eq(productVariants.productId, productId), isNull(productVariants.deletedAt)));
}

/** The answer is a 422 whose only error is this unknown field. */
async function expectUnknownField(response: Response, path: string): Promise<void> {
  expect(response.status, await response.clone().text()).toBe(422);
  expect((await readProblem(response)).errors).toEqual([{ path, message: "Unknown field" }]);
}

async function deleteVariant(admin: Admin, variantId: string): Promise<void> {
  const response = await asAdmin(admin, "DELETE", `/api/admin/variants/${variantId}`);
  expect(response.status, await response.clone().text()).toBe(204);
}

/** Adds a value to the shirt's Size option (no variant uses it yet). */
async function addSize(admin: Admin, productId: string, size: string): Promise<OptionInput[]> {
  const options = SHIRT_OPTIONS.map((option) =>
    option.name === "Size" ? { ...option, values: [...option.values, size] } : option,
  );
  const response = await asAdmin(admin, "PUT", `/api/admin/products/${productId}/options`, { options });
  expect(response.status, await response.clone().text()).toBe(200);
  return options;
}

describe("concurrent shoppers and the last unit of a variant", () => {
  it("50 shoppers check out the last M / Black at once: one order, 49 insufficient_stock naming that variant, the others untouched", {
    timeout: 120_000,
  }, async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin, () => 100);
    const last = variantOf(product, "M", "Black");
    const others = product.variants.filter((variant) => variant.id !== last.id);
    await setStock(admin, last.id, 1);
    const shoppers = await quickShoppers(50);
    for (const shopper of shoppers) {
      const added = await addVariant(shopper, last.id, 1);
      expect(added.status, await added.clone().text()).toBe(201);
    }
    const before = await levels(others);

    const answers = await Promise.all(shoppers.map((shopper) => placeOrder(shopper)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    const refusals = await Promise.all(
      answers
        .filter((answer) => answer.status === 409)
        .map((answer) => readProblem(answer) as Promise<Problem & { variants: unknown }>),
    );
    for (const refusal of refusals) {
      expect(problemCode(refusal)).toBe("insufficient_stock");
      expect(refusal.variants).toEqual([{ variant_id: last.id, requested: 1, available: 0 }]);
    }
    const placed = (await answers.find((answer) => answer.status === 201)?.json()) as OrderBody;
    expect(placed.items.map((item) => [item.variant_id, item.quantity])).toEqual([[last.id, 1]]);

    expect(await orderStatusCounts(shoppers)).toEqual({ awaiting_payment: 1, rejected: 49 });

    const level = await stockOf(last.id).syncMirror();
    expect(level).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
    expect(await ledgerTotals(last.id)).toEqual({ onHand: level.onHand, reserved: level.reserved });
    expect((await variantRow(last.id))?.stockAvailable).toBe(0);
    expect(await levels(others)).toEqual(before);
    for (const other of others) expect(await ledgerTotals(other.id)).toEqual({ onHand: 100, reserved: 0 });
  });
});

describe("what a client cannot set", () => {
  it("a cart add with a price or a sku of its own: 422 unknown field, nothing added", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const variant = variantOf(product, "L", "White");
    const tampered: Record<string, unknown> = {
      price_amount: 1,
      unit_price_amount: 1,
      sku: variantOf(product, "S", "Black").sku,
    };
    for (const [field, value] of Object.entries(tampered)) {
      await expectUnknownField(await addVariant(shopper, variant.id, 1, { [field]: value }), `body.${field}`);
    }
    expect((await cartOf(shopper)).items).toEqual([]);
  });

  it("a variant PATCH naming its stock, product, option values or id: 422 unknown field, the variant unchanged", async () => {
    const admin = await signedInAdmin();
    const { product: shirt } = await createShirt(admin);
    const { product: elsewhere } = await createShirt(admin);
    const variant = variantOf(shirt, "M", "White");
    const before = await variantRow(variant.id);
    const tampered: Record<string, unknown> = {
      stock_available: 9999,
      stock_version: 0,
      product_id: elsewhere.id,
      option_values: ["L", "Black"],
      options: { Size: "L", Colour: "Black" },
      id: unique("var_"),
      deleted_at: null,
    };
    for (const [field, value] of Object.entries(tampered)) {
      const response = await asAdmin(admin, "PATCH", `/api/admin/variants/${variant.id}`, {
        price_amount: variant.price_amount + 1,
        [field]: value,
      });
      await expectUnknownField(response, `body.${field}`);
    }
    expect(await variantRow(variant.id)).toEqual(before);
  });

  it("a product create giving a variant its stock level or version: 422 unknown field, nothing created", async () => {
    const admin = await signedInAdmin();
    for (const field of ["stock_available", "stock_version"]) {
      const sku = unique("TAMPER-").toUpperCase();
      const response = await asAdmin(admin, "POST", "/api/admin/products", {
        name: "Tampered",
        variants: [{ sku, price_amount: 1000, initial_stock: 1, [field]: 500 }],
      });
      await expectUnknownField(response, `body.variants.0.${field}`);
      expect(await testDb().select().from(productVariants).where(eq(productVariants.sku, sku))).toEqual([]);
    }
  });

  it("checkout charges the variant's current price × quantity, whatever the client sends: the order and the PaymentIntent", async () => {
    const calls = stubStripe(workingStripe);
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const variant = variantOf(product, "L", "White");
    const quantity = 3;
    expect((await addVariant(shopper, variant.id, quantity)).status).toBe(201);
    const price = variant.price_amount + 333;
    expect((await asAdmin(admin, "PATCH", `/api/admin/variants/${variant.id}`, { price_amount: price })).status).toBe(
      200,
    );

    // Totals or prices in the checkout request are refused, not used.
    for (const [field, value] of Object.entries({
      total_amount: 1,
      items: [{ variant_id: variant.id, unit_price_amount: 1, quantity }],
    })) {
      await expectUnknownField(
        await placeOrder(shopper, crypto.randomUUID(), {
          shipping_address: ADDRESS,
          shipping_method_id: STANDARD_SHIPPING,
          [field]: value,
        }),
        `body.${field}`,
      );
    }
    expect(await testDb().select().from(orders).where(eq(orders.userId, shopper.id))).toEqual([]);

    const placed = await placeOrderWith(WITH_STRIPE, shopper);
    expect(placed.status, await placed.clone().text()).toBe(201);
    const order = (await placed.json()) as OrderBody;
    expect(
      order.items.map((item) => [item.variant_id, item.unit_price_amount, item.quantity, item.line_amount]),
    ).toEqual([[variant.id, price, quantity, price * quantity]]);
    expect(order.total_amount).toBe(price * quantity);
    const intents = calls.filter((call) => call.path === "/v1/payment_intents");
    expect(intents.map((call) => call.form.get("amount"))).toEqual([String(price * quantity)]);
  });
});

describe("concurrent admin writes", () => {
  it("10 parallel adds of the same new combination: one 201, nine variant_exists, one such variant", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    await addSize(admin, product.id, "XL");

    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        asAdmin(admin, "POST", `/api/admin/products/${product.id}/variants`, {
          sku: unique("TEE-XL-").toUpperCase(),
          price_amount: 3100,
          options: { Size: "XL", Colour: "Black" },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    const codes = await Promise.all(
      answers.filter((answer) => answer.status === 409).map(async (answer) => problemCode(await readProblem(answer))),
    );
    expect(new Set(codes)).toEqual(new Set(["variant_exists"]));
    const created = (await answers.find((answer) => answer.status === 201)?.json()) as AdminVariant;
    const xl = (await liveVariantRows(product.id)).filter((row) => row.optionValues[0] === "XL");
    expect(xl.map((row) => [row.id, row.sku, row.optionValues])).toEqual([[created.id, created.sku, ["XL", "Black"]]]);
  });

  it("parallel deletes of the last two live variants, sold or not: one 204, one last_variant, one live variant kept", async () => {
    const admin = await signedInAdmin();
    const buyer = asShopper(await signedInUser());
    const shirts = await Promise.all(Array.from({ length: 3 }, () => createShirt(admin, () => 10)));
    // The last shirt's two remaining variants have been sold: deleting them is soft.
    const [soldShirt] = shirts.slice(-1);
    for (const { product } of shirts) {
      for (const variant of product.variants.slice(2)) await deleteVariant(admin, variant.id);
    }
    if (soldShirt) {
      for (const variant of soldShirt.product.variants.slice(0, 2)) {
        expect((await addVariant(buyer, variant.id, 1)).status).toBe(201);
      }
      expect((await placeOrder(buyer)).status).toBe(201);
    }

    const rounds = await Promise.all(
      shirts.map(async ({ product }) => {
        const lastTwo = product.variants.slice(0, 2);
        const answers = await Promise.all(
          lastTwo.map((variant) => asAdmin(admin, "DELETE", `/api/admin/variants/${variant.id}`)),
        );
        return { product, answers };
      }),
    );
    for (const { product, answers } of rounds) {
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 409]);
      const refused = answers.find((answer) => answer.status === 409);
      expect(refused && problemCode(await readProblem(refused))).toBe("last_variant");
      const live = await liveVariantRows(product.id);
      expect(live).toHaveLength(1);
      expect(product.variants.slice(0, 2).map((variant) => variant.id)).toContain(live[0]?.id);
      const page = await adminProduct(admin, product.id);
      expect(page.variants.filter((variant) => variant.deleted_at === null)).toHaveLength(1);
    }
  });

  it("removing an option value while a variant using it is added: one of the two wins, no live variant is left with a value its option lacks", {
    timeout: 60_000,
  }, async () => {
    const admin = await signedInAdmin();
    const shirts = await Promise.all(Array.from({ length: 6 }, () => createShirt(admin)));
    await Promise.all(shirts.map(({ product }) => addSize(admin, product.id, "XL")));

    const races = await Promise.all(
      shirts.map(async ({ product }) => {
        const [removal, addition] = await Promise.all([
          asAdmin(admin, "PUT", `/api/admin/products/${product.id}/options`, { options: SHIRT_OPTIONS }),
          asAdmin(admin, "POST", `/api/admin/products/${product.id}/variants`, {
            sku: unique("TEE-XL-").toUpperCase(),
            price_amount: 3100,
            options: { Size: "XL", Colour: "White" },
          }),
        ]);
        return { product, removal, addition };
      }),
    );
    for (const { product, removal, addition } of races) {
      const outcome = [removal.status, addition.status];
      // Exactly one wins: the removal (the add is then refused) or the add (the removal is then refused).
      expect([
        [200, 409],
        [200, 422],
        [409, 201],
      ]).toContainEqual(outcome);
      const refused = removal.status === 200 ? addition : removal;
      const code = problemCode(await readProblem(refused));
      expect(["option_value_in_use", "options_changed", "validation_error"]).toContain(code);

      const options = await testDb()
        .select()
        .from(productOptions)
        .where(eq(productOptions.productId, product.id))
        .orderBy(productOptions.position);
      for (const variant of await liveVariantRows(product.id)) {
        variant.optionValues.forEach((value, index) => {
          expect(options[index]?.values, `${variant.sku} ${variant.title}`).toContain(value);
        });
      }
      const stored: Pick<AdminProduct, "options"> = await adminProduct(admin, product.id);
      expect(stored.options.find((option) => option.name === "Size")?.values.includes("XL")).toBe(
        removal.status !== 200,
      );
    }
  });
});
