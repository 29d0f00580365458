import { describe, expect, it } from "vitest";
import { moveOrder } from "../support/order-emails";
import { openLink, orderWithLink } from "../support/order-links";
import type { OrderBody } from "../support/shopping";

type LinkedOrder = OrderBody & { tracking_reference: string | null; total_amount: number };

describe("order links", () => {
  it("the link in an order email reads that order without any account: items, amounts, status, history", async () => {
    const { order, token } = await orderWithLink();
    const response = await openLink(token);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = (await response.json()) as LinkedOrder;
    expect(body).toMatchObject({ id: order.id, status: "paid", total_amount: 3000, tracking_reference: null });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ quantity: 3, line_amount: 3000 });
    expect(body.events.map((event) => event.to)).toEqual(["pending", "awaiting_payment", "paid"]);
  });

  it("the same link shows later changes: shipped, with its tracking reference", async () => {
    const { admin, order, token } = await orderWithLink();
    await moveOrder(admin, order.id, { to: "processing" });
    await moveOrder(admin, order.id, { to: "shipped", tracking_reference: "TRK-42" });
    const body = (await (await openLink(token)).json()) as LinkedOrder;
    expect(body).toMatchObject({ status: "shipped", tracking_reference: "TRK-42" });
  });
});
