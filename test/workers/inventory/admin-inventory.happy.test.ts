import { describe, expect, it } from "vitest";
import { signedInAdmin } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { stockOf } from "../support/shopping";
import { readProblem } from "../support/worker";

interface Inventory {
  level: { on_hand: number; reserved: number; available: number };
  reservations: { order_id: string; quantity: number }[];
  movements: {
    reason: string;
    on_hand_delta: number;
    reserved_delta: number;
    actor_id: string | null;
    note: string | null;
  }[];
}

describe("admin: inventory", () => {
  it("shows the level, the active reservations and the ledger that explains them", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { initial_stock: 12 });
    await stockOf(product.variant_id).reserve("ord_inv", 5, 900);
    const response = await admin.client.fetch(`/api/admin/variants/${product.variant_id}/inventory`, {
      token: admin.tokens.access_token,
    });
    const inventory = (await response.json()) as Inventory;
    expect(inventory.level).toMatchObject({ on_hand: 12, reserved: 5, available: 7 });
    expect(inventory.reservations).toEqual([expect.objectContaining({ order_id: "ord_inv", quantity: 5 })]);
    expect(inventory.movements.map((movement) => movement.reason)).toEqual(["reserve", "initial"]);
    const sums = inventory.movements.reduce(
      (total, movement) => ({
        onHand: total.onHand + movement.on_hand_delta,
        reserved: total.reserved + movement.reserved_delta,
      }),
      { onHand: 0, reserved: 0 },
    );
    expect(sums).toEqual({ onHand: 12, reserved: 5 });
  });

  it("set and adjust change on hand, recorded with the admin and the reason; never below reserved (409)", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    const product = await createProduct(admin, { initial_stock: 4 });
    await stockOf(product.variant_id).reserve("ord_held", 3, 900);
    const url = `/api/admin/variants/${product.variant_id}/inventory`;

    const set = await admin.client.json("POST", url, { set: 10, reason: "stock count" }, token);
    expect(await set.json()).toMatchObject({ on_hand: 10, available: 7 });
    const adjust = await admin.client.json("POST", url, { adjust: -2, reason: "two broken" }, token);
    expect(await adjust.json()).toMatchObject({ on_hand: 8, available: 5 });
    const below = await admin.client.json("POST", url, { set: 2, reason: "oops" }, token);
    expect(below.status).toBe(409);
    expect(await readProblem(below)).toMatchObject({ type: "urn:edge-commerce:problem:below_reserved", reserved: 3 });

    const inventory = (await (await admin.client.fetch(url, { token })).json()) as Inventory;
    expect(inventory.movements[0]).toMatchObject({
      reason: "adjust",
      on_hand_delta: -2,
      actor_id: admin.id,
      note: "two broken",
    });
    expect(inventory.movements[1]).toMatchObject({ reason: "set", on_hand_delta: 6, note: "stock count" });

    const catalog = await admin.client.fetch(`/api/products/${product.id}`);
    expect(await catalog.json()).toMatchObject({
      in_stock: true,
      variants: [expect.objectContaining({ id: product.variant_id, stock_available: 5, in_stock: true })],
    });
  });

  it("refuses both or neither of set and adjust, non-integers, and unknown variants", async () => {
    const admin = await signedInAdmin();
    const token = admin.tokens.access_token;
    const product = await createProduct(admin);
    const url = `/api/admin/variants/${product.variant_id}/inventory`;
    for (const body of [
      { set: 1, adjust: 1, reason: "x" },
      { reason: "x" },
      { set: 1.5, reason: "x" },
      { set: -1, reason: "x" },
      { set: 1 },
    ]) {
      expect((await admin.client.json("POST", url, body, token)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await admin.client.fetch("/api/admin/variants/var_missing/inventory", { token })).status).toBe(404);
  });
});
