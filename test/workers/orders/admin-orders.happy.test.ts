import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "../../../src/schema";
import { signedInAdmin, signedInUser, testDb } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { addToCart, asShopper, markPaid, type OrderBody, placeOrder, stockOf } from "../support/shopping";
import { readProblem } from "../support/worker";

async function placedOrder(quantity = 1, stock = 5) {
  const admin = await signedInAdmin();
  const shopper = asShopper(await signedInUser());
  const product = await createProduct(admin, { initial_stock: stock });
  await addToCart(shopper, product.id, quantity);
  const order = (await (await placeOrder(shopper)).json()) as OrderBody;
  const move = (to: string, note?: string) =>
    admin.client.json("POST", `/api/admin/orders/${order.id}/transition`, { to, note }, admin.tokens.access_token);
  return { admin, shopper, product, order, move };
}

describe("admin: orders", () => {
  it("walks a paid order through processing, shipped and delivered, recording each step", async () => {
    const { admin, order, move, product } = await placedOrder();
    await markPaid(order.id, new Date(), [product.variant_id]);
    for (const to of ["processing", "shipped", "delivered"]) {
      const response = await move(to, `now ${to}`);
      expect(response.status, to).toBe(200);
      expect(((await response.json()) as OrderBody).status).toBe(to);
    }
    const view = (await (
      await admin.client.fetch(`/api/admin/orders/${order.id}`, { token: admin.tokens.access_token })
    ).json()) as OrderBody & {
      user_id: string;
    };
    expect(view.events.map((event) => event.to)).toEqual([
      "pending",
      "awaiting_payment",
      "processing",
      "shipped",
      "delivered",
    ]);
    expect(view.events.at(-1)).toMatchObject({ from: "shipped", to: "delivered", reason: "now delivered" });
    const audited = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "order.transitioned"), eq(auditEvents.targetId, order.id)));
    expect(audited).toHaveLength(3);
  });

  it("illegal transitions are 409 naming the current status; an unpaid order cannot be shipped", async () => {
    const { admin, move, order, product } = await placedOrder();
    const view = async () =>
      (await (
        await admin.client.fetch(`/api/admin/orders/${order.id}`, { token: admin.tokens.access_token })
      ).json()) as OrderBody;
    for (const to of ["shipped", "delivered", "processing"]) {
      const response = await move(to);
      expect(response.status, to).toBe(409);
      expect(await readProblem(response), to).toMatchObject({
        type: "urn:edge-commerce:problem:invalid_transition",
        order_status: "awaiting_payment",
      });
    }
    // Refused means not moved, and not recorded as a move either.
    expect(await view()).toMatchObject({ status: "awaiting_payment" });
    expect((await view()).events.map((event) => event.to)).toEqual(["pending", "awaiting_payment"]);

    await markPaid(order.id, new Date(), [product.variant_id]);
    expect((await move("processing")).status).toBe(200);
    const backwards = await move("processing");
    expect(backwards.status).toBe(409);
    expect(await readProblem(backwards)).toMatchObject({
      type: "urn:edge-commerce:problem:invalid_transition",
      order_status: "processing",
    });
    expect((await move("paid" as string)).status).toBe(422);
    expect((await view()).events.map((event) => event.to)).toEqual(["pending", "awaiting_payment", "processing"]);
  });

  it("cancelling an order awaiting payment releases its reservation; a paid one must be refunded instead", async () => {
    const unpaid = await placedOrder(2, 5);
    expect((await unpaid.move("cancelled", "customer called")).status).toBe(200);
    expect(await stockOf(unpaid.product.variant_id).level()).toMatchObject({ onHand: 5, reserved: 0 });

    const paid = await placedOrder(2, 5);
    await markPaid(paid.order.id, new Date(), [paid.product.variant_id]);
    expect(await stockOf(paid.product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
    const refused = await paid.move("cancelled");
    expect(refused.status).toBe(409);
    expect(await readProblem(refused)).toMatchObject({
      type: "urn:edge-commerce:problem:refund_required",
      order_status: "paid",
    });
    expect(await stockOf(paid.product.variant_id).level()).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("lists orders with filters by status and user", async () => {
    const { admin, shopper, order } = await placedOrder();
    const token = admin.tokens.access_token;
    const byUser = (await (await admin.client.fetch(`/api/admin/orders?user_id=${shopper.id}`, { token })).json()) as {
      data: (OrderBody & { user_id: string })[];
    };
    expect(byUser.data.map((item) => item.id)).toEqual([order.id]);
    expect(byUser.data[0]?.user_id).toBe(shopper.id);
    const byStatus = (await (
      await admin.client.fetch(`/api/admin/orders?user_id=${shopper.id}&status=paid`, { token })
    ).json()) as {
      data: unknown[];
    };
    expect(byStatus.data).toEqual([]);
    expect((await admin.client.fetch("/api/admin/orders?status=bogus", { token })).status).toBe(422);
  });
});
