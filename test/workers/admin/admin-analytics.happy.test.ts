import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { addToCart, addVariantToCart, asShopper, markPaid, type OrderBody, placeOrder } from "../support/shopping";

describe("admin: analytics", () => {
  it("sales per day count orders once paid (in any later status), in integers, refunds subtracted", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const product = await createProduct(admin, { price_amount: 1234, initial_stock: 20 });
    // A quiet day far in the past, so no other test's orders land in it.
    const day = new Date(Date.UTC(2001, 2, 14, 12));
    const placed: OrderBody[] = [];
    // One open order at a time: the first two are paid before the next checkout.
    const paidAt = [day, new Date(day.getTime() + 3_600_000)];
    for (let i = 0; i < 3; i++) {
      await addToCart(shopper, product.id, i + 1);
      const order = (await (await placeOrder(shopper)).json()) as OrderBody;
      placed.push(order);
      const at = paidAt[i];
      if (at) await markPaid(order.id, at);
    }
    const [first, second, unpaid] = placed;
    await testDb()
      .update(orders)
      .set({ status: "shipped" })
      .where(eq(orders.id, second?.id ?? ""));
    await testDb()
      .update(orders)
      .set({ refundedAmount: 1000, status: "partially_refunded" })
      .where(eq(orders.id, first?.id ?? ""));
    expect(unpaid?.status).toBe("awaiting_payment");

    const response = await admin.client.fetch(
      "/api/admin/analytics/sales?from=2001-03-14T00:00:00Z&to=2001-03-15T00:00:00Z&period=day",
      { token: admin.tokens.access_token },
    );
    expect(await response.json()).toMatchObject({
      currency: "usd",
      data: [
        {
          period_start: "2001-03-14",
          orders: 2,
          gross_amount: 1234 * 3,
          refunded_amount: 1000,
          net_amount: 1234 * 3 - 1000,
        },
      ],
    });
    const weekly = await admin.client.fetch("/api/admin/analytics/sales?from=2001-03-01&to=2001-04-01&period=week", {
      token: admin.tokens.access_token,
    });
    expect(((await weekly.json()) as { data: { period_start: string }[] }).data.map((row) => row.period_start)).toEqual(
      ["2001-03-12"],
    );
    const monthly = await admin.client.fetch("/api/admin/analytics/sales?from=2001-03-01&to=2001-04-01&period=month", {
      token: admin.tokens.access_token,
    });
    expect(
      ((await monthly.json()) as { data: { period_start: string }[] }).data.map((row) => row.period_start),
    ).toEqual(["2001-03-01"]);
  });

  it("top products ranks paid units over the last days", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const popular = await createProduct(admin, { price_amount: 100, initial_stock: 50 });
    await addToCart(shopper, popular.id, 40);
    const order = (await (await placeOrder(shopper)).json()) as OrderBody;
    await markPaid(order.id);
    const response = await admin.client.fetch("/api/admin/analytics/top-products?days=7&limit=100", {
      token: admin.tokens.access_token,
    });
    const { data } = (await response.json()) as {
      data: { product_id: string; units: number; revenue_amount: number }[];
    };
    expect(data).toContainEqual(expect.objectContaining({ product_id: popular.id, units: 40, revenue_amount: 4000 }));
    expect(
      (await admin.client.fetch("/api/admin/analytics/sales?period=year", { token: admin.tokens.access_token })).status,
    ).toBe(422);
  });

  it("top products ranks by product, or by variant with its title and sku as sold", async () => {
    const admin = await signedInAdmin();
    const shopper = asShopper(await signedInUser());
    const shirt = await createProduct(admin, {
      options: [{ name: "Size", values: ["S", "M"] }],
      variants: [
        { sku: unique("TOP-S-"), price_amount: 100, initial_stock: 50, options: { Size: "S" } },
        { sku: unique("TOP-M-"), price_amount: 200, initial_stock: 50, options: { Size: "M" } },
      ],
    });
    const [small, medium] = shirt.variants;
    if (!small || !medium) throw new Error("two variants were made");
    await addVariantToCart(shopper, small.id, 30);
    await addVariantToCart(shopper, medium.id, 20);
    const order = (await (await placeOrder(shopper)).json()) as OrderBody;
    await markPaid(order.id);
    const top = async (query: string) =>
      (
        (await (
          await admin.client.fetch(`/api/admin/analytics/top-products?days=7&limit=100${query}`, {
            token: admin.tokens.access_token,
          })
        ).json()) as {
          data: { product_id: string; variant_id: string | null; sku: string | null; units: number }[];
        }
      ).data.filter((row) => row.product_id === shirt.id);
    expect(await top("")).toEqual([
      expect.objectContaining({ variant_id: null, sku: null, units: 50, revenue_amount: 30 * 100 + 20 * 200 }),
    ]);
    expect(await top("&by=variant")).toEqual([
      expect.objectContaining({
        variant_id: small.id,
        variant_title: "S",
        sku: small.sku,
        units: 30,
        revenue_amount: 3000,
      }),
      expect.objectContaining({
        variant_id: medium.id,
        variant_title: "M",
        sku: medium.sku,
        units: 20,
        revenue_amount: 4000,
      }),
    ]);
  });
});
