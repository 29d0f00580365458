import { describe, expect, it } from "vitest";
import { ACTORS, canTransition, REFUNDABLE_STATUSES, TRANSITIONS } from "../../../src/modules/orders/status";
import { ORDER_STATUSES } from "../../../src/modules/orders/tables";

describe("who may move an order", () => {
  it("a shopper can cancel only an order awaiting payment, and can make no other move", () => {
    const shopperMoves = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canTransition(from, to, "shopper")).map((to) => `${from} → ${to}`),
    );
    expect(shopperMoves).toEqual(["awaiting_payment → cancelled"]);
  });

  it("an admin can never cancel an order that was paid", () => {
    for (const status of REFUNDABLE_STATUSES) expect(canTransition(status, "cancelled", "admin"), status).toBe(false);
    expect(canTransition("refunded", "cancelled", "admin")).toBe(false);
    // Unpaid ones, yes.
    expect(canTransition("pending", "cancelled", "admin")).toBe(true);
    expect(canTransition("awaiting_payment", "cancelled", "admin")).toBe(true);
  });

  it("nobody cancels a paid order: money taken goes back through a refund", () => {
    for (const status of REFUNDABLE_STATUSES) {
      for (const actor of ACTORS) expect(canTransition(status, "cancelled", actor), `${actor}: ${status}`).toBe(false);
    }
  });

  it("only the system (a payment event) marks an order paid or refunded", () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ["paid", "refunded", "partially_refunded"] as const) {
        expect(canTransition(from, to, "shopper"), `shopper: ${from} → ${to}`).toBe(false);
        expect(canTransition(from, to, "admin"), `admin: ${from} → ${to}`).toBe(false);
      }
    }
  });

  it("no move leaves refunded or rejected, for anyone", () => {
    expect(TRANSITIONS.refunded).toEqual({});
    expect(TRANSITIONS.rejected).toEqual({});
    for (const from of ["refunded", "rejected"] as const) {
      for (const to of ORDER_STATUSES) {
        for (const actor of ACTORS) expect(canTransition(from, to, actor), `${actor}: ${from} → ${to}`).toBe(false);
      }
    }
  });

  it("no order goes back to pending or awaiting payment", () => {
    for (const from of ORDER_STATUSES) {
      for (const actor of ACTORS) {
        expect(canTransition(from, "pending", actor), `${actor}: ${from} → pending`).toBe(false);
        if (from !== "pending") {
          expect(canTransition(from, "awaiting_payment", actor), `${actor}: ${from} → awaiting_payment`).toBe(false);
        }
      }
    }
  });
});
