import { afterEach, describe, expect, it, vi } from "vitest";
import { signedInAdmin } from "../support/accounts";
import { createProduct, setStockMirror } from "../support/catalog";
import { passTime } from "../support/clock";
import { asGuest, type GuestCartView, guestAdds, guestCartRow, startGuestCart } from "../support/guest-cart";

afterEach(() => {
  vi.useRealTimers();
});

const DAY_MS = 86_400_000;
/** GUEST_CART_TTL_DAYS's default, which the suite runs with. */
const TTL_DAYS = 30;

async function stocked(price: number) {
  const product = await createProduct(await signedInAdmin(), { price_amount: price });
  await setStockMirror(product.variant_id, 100);
  return product;
}

function daysFromNow(iso: string | undefined): number {
  return (Date.parse(iso ?? "") - Date.now()) / DAY_MS;
}

describe("a guest cart", () => {
  it("POST /api/carts answers 201, the empty cart with its expiry, and its token in Cart-Token", async () => {
    const guest = await startGuestCart();
    const { token, cart } = guest;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cart).toMatchObject({ items: [], subtotal_amount: 0, item_count: 0 });
    expect(daysFromNow(cart.expires_at)).toBeCloseTo(TTL_DAYS, 2);

    const read = await asGuest(guest, "GET", "/api/cart");
    expect(read.status).toBe(200);
    expect(((await read.json()) as GuestCartView).expires_at).toBe(cart.expires_at);
  });

  it("adds, merges, updates, removes and clears lines with the cart token alone", async () => {
    const [tea, mug] = [await stocked(333), await stocked(1999)];
    const guest = await startGuestCart();

    const first = await asGuest(guest, "POST", "/api/cart/items", { body: { product_id: tea.id, quantity: 2 } });
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toMatch(/^\/api\/cart\/items\/cit_/);
    await guestAdds(guest, mug.id, 1);
    const merged = await guestAdds(guest, tea.id, 3);
    expect(merged.items.map((item) => [item.product_id, item.quantity])).toEqual([
      [tea.id, 5],
      [mug.id, 1],
    ]);
    expect(merged.subtotal_amount).toBe(5 * 333 + 1999);

    const [teaLine, mugLine] = merged.items;
    const updated = await asGuest(guest, "PATCH", `/api/cart/items/${teaLine?.id}`, { body: { quantity: 1 } });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as GuestCartView).subtotal_amount).toBe(333 + 1999);

    expect((await asGuest(guest, "DELETE", `/api/cart/items/${mugLine?.id}`)).status).toBe(204);
    const afterRemove = (await (await asGuest(guest, "GET", "/api/cart")).json()) as GuestCartView;
    expect(afterRemove.items.map((item) => item.product_id)).toEqual([tea.id]);

    expect((await asGuest(guest, "DELETE", "/api/cart")).status).toBe(204);
    const cleared = await asGuest(guest, "GET", "/api/cart");
    expect(cleared.status).toBe(200);
    expect(((await cleared.json()) as GuestCartView).items).toEqual([]);
  });

  it("every write moves the expiry to GUEST_CART_TTL_DAYS from then: a cart in use does not expire", async () => {
    const tea = await stocked(100);
    const guest = await startGuestCart();
    const created = await guestCartRow(guest.token);

    passTime((20 * DAY_MS) / 1000);
    const added = await guestAdds(guest, tea.id, 1);
    expect(daysFromNow(added.expires_at)).toBeCloseTo(TTL_DAYS, 2);
    const slid = await guestCartRow(guest.token);
    expect(slid?.expiresAt).toBe(added.expires_at);
    expect(Date.parse(slid?.expiresAt ?? "") - Date.parse(created?.expiresAt ?? "")).toBeGreaterThan(19 * DAY_MS);

    // Past the first expiry, still open: the write moved it.
    passTime((20 * DAY_MS) / 1000);
    const read = await asGuest(guest, "GET", "/api/cart");
    expect(read.status).toBe(200);
    // A read does not move it.
    expect(((await read.json()) as GuestCartView).expires_at).toBe(added.expires_at);
  });
});
