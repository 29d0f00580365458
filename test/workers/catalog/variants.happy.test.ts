import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { AdminVariant, ProductSummary, PublicProduct } from "../../../src/modules/catalog/schemas";
import { cartItems, orderItems, productVariants } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { orderReaches, paidOrder, requestRefund } from "../support/payments";
import { asShopper, ledgerTotals, type OrderBody, placeOrder, type Shopper, stockOf } from "../support/shopping";
import {
  type Admin,
  addVariant,
  adminProduct,
  asAdmin,
  COLOURS,
  cartOf,
  createShirt,
  SHIRT_OPTIONS,
  SIZES,
  shopperGet,
  variantOf,
} from "../support/variants";

type OrderWithSkus = Omit<OrderBody, "items"> & { items: (OrderBody["items"][number] & { sku: string })[] };

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

async function orderOf(shopper: Shopper, orderId: string): Promise<OrderWithSkus> {
  const response = await shopper.client.fetch(`/api/orders/${orderId}`, { token: shopper.token });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as OrderWithSkus;
}

async function patchVariant(admin: Admin, variantId: string, body: Record<string, unknown>): Promise<AdminVariant> {
  const response = await asAdmin(admin, "PATCH", `/api/admin/variants/${variantId}`, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as AdminVariant;
}

async function deleteVariant(admin: Admin, variantId: string): Promise<void> {
  const response = await asAdmin(admin, "DELETE", `/api/admin/variants/${variantId}`);
  expect(response.status, await response.clone().text()).toBe(204);
}

describe("a shirt with 6 variants", () => {
  it("the product page shows its options, six variants titled by their values, stock, images and price range", async () => {
    const admin = await signedInAdmin();
    const { product, input, imageSku } = await createShirt(admin);

    const page = await shopperGet<PublicProduct>(`/api/products/${product.id}`);
    expect(page.options).toEqual(SHIRT_OPTIONS);
    expect(page.variants).toHaveLength(SIZES.length * COLOURS.length);
    expect(
      page.variants.map(({ sku, title, options, price_amount, compare_at_amount, weight_grams }) => ({
        sku,
        title,
        options,
        price_amount,
        compare_at_amount,
        weight_grams,
      })),
    ).toEqual(
      input.map((variant) => ({
        sku: variant.sku,
        title: `${variant.options.Size} / ${variant.options.Colour}`,
        options: variant.options,
        price_amount: variant.price_amount,
        compare_at_amount: variant.compare_at_amount ?? null,
        weight_grams: variant.weight_grams,
      })),
    );
    expect(variantOf(page, "M", "Black").title).toBe("M / Black");
    expect(page.variants.map((variant) => [variant.stock_available, variant.in_stock])).toEqual(
      input.map((variant) => [variant.initial_stock, variant.initial_stock > 0]),
    );
    // The arrangement has one variant out of stock and the others in stock: availability is per variant.
    expect(new Set(page.variants.map((variant) => variant.in_stock))).toEqual(new Set([true, false]));

    const prices = input.map((variant) => variant.price_amount);
    expect([page.price_min_amount, page.price_max_amount]).toEqual([Math.min(...prices), Math.max(...prices)]);
    expect(page.in_stock).toBe(true);
    const imageVariant = page.variants.find((variant) => variant.sku === imageSku);
    expect(page.images).toEqual([
      { url: "https://cdn.example.com/tee.jpg", alt: "The shirt, front", variant_id: null },
      { url: "https://cdn.example.com/tee-white.jpg", alt: "The shirt in white", variant_id: imageVariant?.id },
    ]);
    expect(imageVariant).toBeDefined();
    expect(page.categories.map((category) => category.id)).toEqual(product.categories.map((category) => category.id));
    expect(page.categories).toHaveLength(1);
  });

  it("the list shows the price range and stock; a price filter finds the shirt by one variant's price", async () => {
    const admin = await signedInAdmin();
    const { product, input, categorySlug } = await createShirt(admin);
    const prices = input.map((variant) => variant.price_amount).sort((a, b) => a - b);
    const dearest = prices.at(-1) ?? 0;
    const nextDearest = prices.at(-2) ?? 0;

    const listed = await shopperGet<{ data: ProductSummary[] }>(`/api/products?category=${categorySlug}`);
    expect(listed.data.map((item) => [item.id, item.price_min_amount, item.price_max_amount, item.in_stock])).toEqual([
      [product.id, prices[0], dearest, true],
    ]);
    expect(listed.data[0]?.image).toEqual({ url: "https://cdn.example.com/tee.jpg", alt: "The shirt, front" });

    const found = (query: string) =>
      shopperGet<{ data: ProductSummary[] }>(`/api/products?category=${categorySlug}&${query}`).then((answer) =>
        answer.data.map((item) => item.id),
      );
    // Only the dearest variant is in this range; between two prices, none is.
    expect(await found(`min_price=${nextDearest + 1}&max_price=${dearest}`)).toEqual([product.id]);
    expect(await found(`min_price=${nextDearest + 1}&max_price=${dearest - 1}`)).toEqual([]);
    expect(await found(`max_price=${prices[0]}`)).toEqual([product.id]);
    expect(await found(`max_price=${(prices[0] ?? 0) - 1}`)).toEqual([]);
  });

  it("a shopper buys M / Black by variant id; the order line names the variant; a refund with restock gives back only its stock", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const bought = variantOf(product, "M", "Black");
    const others = product.variants.filter((variant) => variant.id !== bought.id);
    const quantity = 2;

    const added = await addVariant(shopper, bought.id, quantity);
    expect(added.status, await added.clone().text()).toBe(201);
    const cart = await cartOf(shopper);
    expect(
      cart.items.map(({ variant_id, variant_title, sku, unit_price_amount, quantity: units }) => ({
        variant_id,
        variant_title,
        sku,
        unit_price_amount,
        quantity: units,
      })),
    ).toEqual([
      {
        variant_id: bought.id,
        variant_title: "M / Black",
        sku: bought.sku,
        unit_price_amount: bought.price_amount,
        quantity,
      },
    ]);
    const before = await levels(product.variants);

    const placed = await placeOrder(shopper);
    expect(placed.status, await placed.clone().text()).toBe(201);
    const order = (await placed.clone().json()) as OrderWithSkus;
    expect(order.items).toEqual([
      expect.objectContaining({
        product_id: product.id,
        variant_id: bought.id,
        variant_title: "M / Black",
        sku: bought.sku,
        unit_price_amount: bought.price_amount,
        quantity,
        line_amount: bought.price_amount * quantity,
      }),
    ]);
    expect(order.total_amount).toBe(bought.price_amount * quantity);
    expect(await stockOf(bought.id).level()).toMatchObject({ onHand: bought.stock_available, reserved: quantity });

    await paidOrder(shopper, placed);
    expect(await stockOf(bought.id).level()).toMatchObject({ onHand: bought.stock_available - quantity, reserved: 0 });

    const refund = await requestRefund(admin, order.id, { reason: "wrong size", restock: true });
    expect(refund.status, await refund.clone().text()).toBe(202);
    await orderReaches(order.id, "refunded");

    const after = await levels(product.variants);
    expect(after[bought.id]).toMatchObject({ onHand: bought.stock_available, reserved: 0 });
    expect(await ledgerTotals(bought.id)).toEqual({ onHand: bought.stock_available, reserved: 0 });
    for (const other of others) expect(after[other.id], other.title).toEqual(before[other.id]);
    // The shopper's copy of the order still has its line as bought.
    expect((await orderOf(shopper, order.id)).items.map((item) => [item.variant_id, item.variant_title])).toEqual([
      [bought.id, "M / Black"],
    ]);
  });

  it("a new option value adds no variant; POST /variants then adds the seventh", async () => {
    const admin = await signedInAdmin();
    const { product, input } = await createShirt(admin);
    const withXl = SHIRT_OPTIONS.map((option) =>
      option.name === "Size" ? { ...option, values: [...option.values, "XL"] } : option,
    );

    const replaced = await asAdmin(admin, "PUT", `/api/admin/products/${product.id}/options`, { options: withXl });
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    expect(await replaced.json()).toMatchObject({ options: withXl, variants: expect.any(Array) });
    expect((await adminProduct(admin, product.id)).variants).toHaveLength(input.length);
    const shopperView = await shopperGet<PublicProduct>(`/api/products/${product.id}`);
    // Shoppers see only values a variant for sale has: XL is announced with its first variant.
    expect(shopperView.options).toEqual(SHIRT_OPTIONS);
    expect(shopperView.variants).toHaveLength(input.length);

    const dearest = Math.max(...input.map((variant) => variant.price_amount));
    const sku = unique("TEE-XL-").toUpperCase();
    const created = await asAdmin(admin, "POST", `/api/admin/products/${product.id}/variants`, {
      sku,
      price_amount: dearest + 500,
      weight_grams: 230,
      initial_stock: 4,
      options: { Size: "XL", Colour: "Black" },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const variant = (await created.json()) as AdminVariant;
    expect(created.headers.get("location")).toBe(`/api/admin/variants/${variant.id}`);
    expect(await (await asAdmin(admin, "GET", `/api/admin/variants/${variant.id}`)).json()).toEqual(variant);
    expect((await asAdmin(admin, "GET", "/api/admin/variants/var_missing")).status).toBe(404);
    expect(variant).toMatchObject({
      product_id: product.id,
      sku,
      title: "XL / Black",
      options: { Size: "XL", Colour: "Black" },
      price_amount: dearest + 500,
      stock_available: 4,
      in_stock: true,
      is_active: true,
      deleted_at: null,
    });

    expect((await adminProduct(admin, product.id)).variants.map((each) => each.id)).toEqual([
      ...product.variants.map((each) => each.id),
      variant.id,
    ]);
    const seven = await shopperGet<PublicProduct>(`/api/products/${product.id}`);
    expect(seven.options).toEqual(withXl);
    expect(seven.variants).toHaveLength(input.length + 1);
    expect(seven.price_max_amount).toBe(dearest + 500);
  });

  it("options can be renamed, two of them even swapping names: each variant keeps its values, by position", async () => {
    const admin = await signedInAdmin();
    const { product } = await createShirt(admin);
    const [size, colour] = SHIRT_OPTIONS;
    if (!size || !colour) throw new Error("the shirt has two options");
    const swapped = [
      { name: colour.name, values: size.values },
      { name: size.name, values: colour.values },
    ];

    const response = await asAdmin(admin, "PUT", `/api/admin/products/${product.id}/options`, { options: swapped });
    expect(response.status, await response.clone().text()).toBe(200);
    const renamed = await adminProduct(admin, product.id);
    expect(renamed.options).toEqual(swapped);
    expect(renamed.variants.map((variant) => [variant.id, variant.title, variant.options])).toEqual(
      product.variants.map((variant) => [
        variant.id,
        variant.title,
        { [colour.name]: variant.options[size.name], [size.name]: variant.options[colour.name] },
      ]),
    );
  });

  it("a new price shows in the cart; a deactivated variant leaves the shopper's view and its cart line is unavailable", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const repriced = variantOf(product, "M", "Black");
    const retired = variantOf(product, "L", "White");
    for (const variant of [repriced, retired]) {
      const added = await addVariant(shopper, variant.id, 1);
      expect(added.status, await added.clone().text()).toBe(201);
    }
    const newPrice = repriced.price_amount + 150;

    expect(await patchVariant(admin, repriced.id, { price_amount: newPrice })).toMatchObject({
      id: repriced.id,
      title: "M / Black",
      options: { Size: "M", Colour: "Black" },
      price_amount: newPrice,
    });
    const priced = await cartOf(shopper);
    expect(priced.items.find((item) => item.variant_id === repriced.id)?.unit_price_amount).toBe(newPrice);
    expect(priced.subtotal_amount).toBe(newPrice + retired.price_amount);

    expect(await patchVariant(admin, retired.id, { is_active: false })).toMatchObject({ is_active: false });
    const page = await shopperGet<PublicProduct>(`/api/products/${product.id}`);
    expect(page.variants.map((variant) => variant.id)).toEqual(
      product.variants.filter((variant) => variant.id !== retired.id).map((variant) => variant.id),
    );
    const cart = await cartOf(shopper);
    expect(cart.items.map((item) => [item.variant_id, item.available, item.line_amount])).toEqual([
      [repriced.id, true, newPrice],
      [retired.id, false, 0],
    ]);
    expect(cart.warnings).toEqual([expect.objectContaining({ code: "product_unavailable", variant_id: retired.id })]);
    expect(cart.subtotal_amount).toBe(newPrice);
    // Still in the admin's view, inactive.
    expect(variantOf(await adminProduct(admin, product.id), "L", "White")).toMatchObject({
      is_active: false,
      deleted_at: null,
    });
  });

  it("DELETE removes a variant without orders for good (with its cart lines); one with orders is soft-deleted and the order keeps its line", async () => {
    const admin = await signedInAdmin();
    const buyer = asShopper(await signedInUser());
    const browser = asShopper(await signedInUser());
    const { product } = await createShirt(admin);
    const unsold = variantOf(product, "S", "Black");
    const sold = variantOf(product, "M", "Black");

    expect((await addVariant(buyer, sold.id, 1)).status).toBe(201);
    const placed = await placeOrder(buyer);
    expect(placed.status, await placed.clone().text()).toBe(201);
    const order = (await placed.json()) as OrderWithSkus;
    for (const variant of [unsold, sold]) expect((await addVariant(browser, variant.id, 1)).status).toBe(201);

    await deleteVariant(admin, unsold.id);
    expect(await testDb().select().from(productVariants).where(eq(productVariants.id, unsold.id))).toEqual([]);
    expect(await testDb().select().from(cartItems).where(eq(cartItems.variantId, unsold.id))).toEqual([]);
    expect((await adminProduct(admin, product.id)).variants.map((variant) => variant.id)).not.toContain(unsold.id);

    await deleteVariant(admin, sold.id);
    const kept = (await adminProduct(admin, product.id)).variants.find((variant) => variant.id === sold.id);
    expect(kept?.deleted_at).toEqual(expect.any(String));
    expect(await testDb().select().from(orderItems).where(eq(orderItems.variantId, sold.id))).toHaveLength(1);
    expect(
      (await orderOf(buyer, order.id)).items.map((item) => [item.variant_id, item.variant_title, item.sku]),
    ).toEqual([[sold.id, "M / Black", sold.sku]]);
    const page = await shopperGet<PublicProduct>(`/api/products/${product.id}`);
    expect(page.variants.map((variant) => variant.id)).toEqual(
      product.variants.filter((variant) => ![unsold.id, sold.id].includes(variant.id)).map((variant) => variant.id),
    );
    // The soft-deleted variant's cart line stays, unavailable; the hard-deleted one's is gone.
    const cart = await cartOf(browser);
    expect(cart.items.map((item) => [item.variant_id, item.available])).toEqual([[sold.id, false]]);
  });
});
