import { describe, expect, it } from "vitest";
import { ACTORS, canTransition, REFUNDABLE_STATUSES, TRANSITIONS } from "../../../src/modules/orders/status";
import { ORDER_STATUSES, type OrderStatus } from "../../../src/modules/orders/tables";

const moves = ORDER_STATUSES.flatMap((from) =>
  Object.entries(TRANSITIONS[from]).map(([to, actors]) => ({ from, to: to as OrderStatus, actors: actors ?? [] })),
);

describe("the order transition table", () => {
  it("has every order status as a key, and nothing else", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  it("moves only to order statuses, each move made by at least one known actor, none twice", () => {
    expect(moves.length).toBeGreaterThan(0);
    for (const move of moves) {
      expect(ORDER_STATUSES, `${move.from} → ${move.to}`).toContain(move.to);
      expect(move.actors.length, `${move.from} → ${move.to} has no actor`).toBeGreaterThan(0);
      expect(new Set(move.actors).size, `${move.from} → ${move.to} names an actor twice`).toBe(move.actors.length);
      for (const actor of move.actors) expect(ACTORS).toContain(actor);
    }
  });

  it("canTransition allows exactly the moves in the table, for exactly their actors", () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        for (const actor of ACTORS) {
          const listed = TRANSITIONS[from][to]?.includes(actor) ?? false;
          expect(canTransition(from, to, actor), `${actor}: ${from} → ${to}`).toBe(listed);
        }
      }
    }
  });

  it("checkout, payment and the cron move orders as the system", () => {
    expect(canTransition("pending", "awaiting_payment", "system")).toBe(true);
    expect(canTransition("awaiting_payment", "paid", "system")).toBe(true);
    expect(canTransition("awaiting_payment", "expired", "system")).toBe(true);
    // Checkout that never finished: swept by the cron.
    expect(canTransition("pending", "expired", "system")).toBe(true);
    // A late payment after the order lapsed.
    for (const lapsed of ["cancelled", "expired", "payment_failed"] as const) {
      expect(canTransition(lapsed, "paid", "system"), lapsed).toBe(true);
      expect(canTransition(lapsed, "refunded", "system"), lapsed).toBe(true);
    }
  });

  it("admins move paid orders through fulfilment, one step at a time", () => {
    expect(canTransition("paid", "processing", "admin")).toBe(true);
    expect(canTransition("processing", "shipped", "admin")).toBe(true);
    expect(canTransition("shipped", "delivered", "admin")).toBe(true);
    expect(canTransition("paid", "shipped", "admin")).toBe(false);
    expect(canTransition("paid", "delivered", "admin")).toBe(false);
    expect(canTransition("processing", "delivered", "admin")).toBe(false);
    expect(canTransition("delivered", "shipped", "admin")).toBe(false);
  });

  it("the refundable statuses are the paid ones not refunded in full, each of which a refund can end", () => {
    expect([...REFUNDABLE_STATUSES].sort()).toEqual(
      ["delivered", "paid", "partially_refunded", "processing", "shipped"].sort(),
    );
    for (const status of REFUNDABLE_STATUSES) {
      expect(canTransition(status, "refunded", "system"), status).toBe(true);
      expect(canTransition(status, "partially_refunded", "system"), status).toBe(true);
    }
    for (const status of ORDER_STATUSES.filter((status) => !REFUNDABLE_STATUSES.includes(status))) {
      expect(canTransition(status, "partially_refunded", "system"), status).toBe(false);
    }
  });
});
