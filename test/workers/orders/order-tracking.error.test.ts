import { describe, expect, it } from "vitest";
import { moveOrder, pricedPaidOrder } from "../support/order-emails";
import { orderRow } from "../support/payments";
import { readProblem } from "../support/worker";

describe("tracking references: refused", () => {
  it("blank, longer than 100 characters, or on a move other than shipping → 422, and the order stays as it was", async () => {
    const { admin, order } = await pricedPaidOrder();
    expect((await moveOrder(admin, order.id, { to: "processing", tracking_reference: "TRK-1" })).status).toBe(422);
    expect((await moveOrder(admin, order.id, { to: "processing" })).status).toBe(200);
    for (const tracking_reference of ["   ", "x".repeat(101)]) {
      const response = await moveOrder(admin, order.id, { to: "shipped", tracking_reference });
      expect(response.status).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual(["body.tracking_reference"]);
    }
    expect(await orderRow(order.id)).toMatchObject({ status: "processing", trackingReference: null });
    const shipped = await moveOrder(admin, order.id, { to: "shipped", tracking_reference: "x".repeat(100) });
    expect(shipped.status).toBe(200);
  });
});
