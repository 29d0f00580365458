import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { addToCart, asShopper, markPaid, type OrderBody, placeOrder } from "../support/shopping";

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
});
