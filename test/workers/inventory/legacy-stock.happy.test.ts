/**
 * Migration 0009 with live stock objects. A shop running the old code (one sku, price and stock per product) holds
 * reservations and settled orders in the stock objects it created under each product id; its database is migrated
 * (test/support/legacy-shop.ts, started by the global setup). Each old product became a product whose one
 * default variant has the product's id, so the old object is the variant's: the new code, run against the migrated
 * database, must find it, commit or release the reservation the old code made there, and change nothing on a
 * replay. The objects live in this Worker's namespace; they mirror to the suite's main database, where these ids
 * do not exist, so only the objects themselves and the legacy database are checked here.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cartLines } from "../../../src/modules/cart/cart";
import { cartViewFrom, cartViewQueries } from "../../../src/modules/cart/pricing";
import { loadVisibleProduct, purchasableVariantsQuery } from "../../../src/modules/catalog/product-views";
import { StockService } from "../../../src/modules/inventory";
import { orderStock } from "../../../src/modules/orders";
import { minimalEvent } from "../../../src/modules/payments/events";
import { createDb } from "../../../src/platform/db/client";
import { orders, webhookEvents } from "../../../src/schema";
import { consume, intentOf, stripeEvent } from "../support/payments";

const shop = inject("legacyShop");
const legacyDb = createDb({ url: inject("legacyDatabaseUrl"), authToken: undefined });
const stock = new StockService(env.PRODUCT_STOCK);

type LegacyOrder = (typeof shop.orders)[number];

function legacyOrders(status: string): LegacyOrder[] {
  return shop.orders.filter((order) => order.status === status);
}

// The shop's own unpaid order (1 Sencha), and the second one legacy-shop.ts adds (Earl Grey and cups).
const [toPay, toFail] = legacyOrders("awaiting_payment") as [LegacyOrder, LegacyOrder];
const [settled] = legacyOrders("paid") as [LegacyOrder];

/** Long enough that no reservation the old code left lapses while the suite runs. */
const OLD_RESERVATION_TTL_SECONDS = 24 * 60 * 60;

/**
 * Leaves a product's stock object as the old code did: the calls its ledger records, in order, made on the real
 * object by its RPC. The object starts at 0 (it reads its initial stock from the suite's main database, which
 * has no such id); the ledger's first movement sets the count the old code started from.
 */
async function replayOldLedger(productId: string): Promise<void> {
  const object = env.PRODUCT_STOCK.getByName(productId);
  for (const movement of shop.movements.filter((entry) => entry.productId === productId)) {
    const orderId = movement.orderId ?? "";
    if (movement.reason === "initial") {
      expect(await object.set(movement.onHandDelta, "initial stock, old code", "legacy")).toMatchObject({ ok: true });
    } else if (movement.reason === "adjust") {
      const adjusted = await object.adjust(movement.onHandDelta, movement.note ?? "", movement.actorId ?? "legacy");
      expect(adjusted).toMatchObject({ ok: true });
    } else if (movement.reason === "reserve") {
      const reserved = await object.reserve(orderId, movement.reservedDelta, OLD_RESERVATION_TTL_SECONDS);
      expect(reserved).toMatchObject({ ok: true, state: "reserved" });
    } else if (movement.reason === "commit") {
      expect(await object.commit(orderId)).toMatchObject({ ok: true, state: "committed" });
    } else if (movement.reason === "release") {
      expect(await object.release(orderId)).toMatchObject({ ok: true, state: "released" });
    } else {
      throw new Error(`no replay for a ${movement.reason} movement`);
    }
  }
}

async function orderRow(orderId: string) {
  const [row] = await legacyDb.select().from(orders).where(eq(orders.id, orderId));
  if (!row) throw new Error(`the migrated database has no order ${orderId}`);
  return row;
}

/** The levels of the stock objects of these old products, by product id. */
async function levels(productIds: string[]) {
  const entries = await Promise.all(
    productIds.map(async (id) => {
      const { onHand, reserved, available } = await stock.of(id).level();
      return [id, { onHand, reserved, available }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const productIdsOf = (order: LegacyOrder) => order.items.map((item) => item.productId);

/** A payment event about a migrated order, recorded in the legacy database as the webhook records one. */
async function recordedEvent(type: string, object: Record<string, unknown>): Promise<string> {
  const event = stripeEvent(type, object);
  await legacyDb.insert(webhookEvents).values({
    id: event.id,
    type,
    payload: minimalEvent(event),
    receivedAt: new Date().toISOString(),
    status: "queued",
  });
  return event.id;
}

/** Delivers the event's queue message to the Worker's consumer, its services over the legacy database. */
async function consumeOverLegacyDb(eventId: string) {
  const result = await consume("payment-events", [{ event_id: eventId }], 1, {}, () => ({ db: legacyDb }));
  expect(result.retryMessages).toEqual([]);
  const [row] = await legacyDb.select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return row?.status;
}

describe("migration 0009 on a shop whose stock objects hold the old code's reservations", () => {
  beforeAll(async () => {
    const productIds = [...new Set(shop.movements.map((movement) => movement.productId))];
    for (const productId of productIds) await replayOldLedger(productId);
    // As the old code left them: what each object has available is what the old catalog mirrored.
    const arranged = await levels(productIds);
    for (const product of shop.products) expect(arranged[product.id]?.available).toBe(product.stockAvailable);
  });

  it("the new code finds each legacy order's stock under the old reservation key and the old product ids", async () => {
    for (const order of shop.orders) {
      const { key, variantIds } = await orderStock(legacyDb, await orderRow(order.id));
      expect(key).toBe(order.reservationKey ?? order.id);
      expect(variantIds.toSorted()).toEqual(productIdsOf(order).toSorted());
    }
    // The variant's object is the one that holds the old code's live reservation.
    const [variantId] = (await orderStock(legacyDb, await orderRow(toPay.id))).variantIds;
    expect(await stock.of(variantId ?? "").activeReservations()).toEqual([
      { orderId: toPay.id, quantity: 1, expiresAt: expect.any(Number) },
    ]);
  });

  it("a payment of the legacy unpaid order commits the old reservation, once", async () => {
    const productIds = productIdsOf(toPay);
    const before = await levels(productIds);
    const quantity = (id: string) => toPay.items.find((item) => item.productId === id)?.quantity ?? 0;
    expect(before).toEqual(
      Object.fromEntries(productIds.map((id) => [id, expect.objectContaining({ reserved: quantity(id) })])),
    );

    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(await orderRow(toPay.id)));
    expect(await consumeOverLegacyDb(eventId)).toBe("processed");

    // Paid on the old reservation itself, not on a late one taken after it.
    expect(await orderRow(toPay.id)).toMatchObject({ status: "paid", reservationKey: toPay.reservationKey });
    const after = await levels(productIds);
    expect(after).toEqual(
      Object.fromEntries(
        productIds.map((id) => {
          const was = before[id] ?? { onHand: 0, reserved: 0, available: 0 };
          return [id, { ...was, onHand: was.onHand - quantity(id), reserved: was.reserved - quantity(id) }];
        }),
      ),
    );
    for (const id of productIds) expect(await stock.of(id).activeReservations()).toEqual([]);

    // Replays: the same message, another delivery of the success, the commit itself.
    expect(await consumeOverLegacyDb(eventId)).toBe("processed");
    const again = await recordedEvent("payment_intent.succeeded", intentOf(await orderRow(toPay.id)));
    expect(await consumeOverLegacyDb(again)).toBe("ignored");
    const { key, variantIds } = await orderStock(legacyDb, await orderRow(toPay.id));
    expect(await stock.commitAll(key, variantIds)).toEqual(
      variantIds.map((id) => expect.objectContaining({ ok: true, state: "committed", quantity: quantity(id) })),
    );
    expect(await levels(productIds)).toEqual(after);
  });

  it("a failed payment of the other legacy unpaid order gives the old reservations' units back, once", async () => {
    const productIds = productIdsOf(toFail);
    expect(productIds).toHaveLength(2);
    const before = await levels(productIds);
    const quantity = (id: string) => toFail.items.find((item) => item.productId === id)?.quantity ?? 0;

    const failed = intentOf(await orderRow(toFail.id), { status: "requires_payment_method" });
    const eventId = await recordedEvent("payment_intent.payment_failed", failed);
    expect(await consumeOverLegacyDb(eventId)).toBe("processed");

    expect(await orderRow(toFail.id)).toMatchObject({ status: "payment_failed", paymentStatus: "failed" });
    const after = await levels(productIds);
    expect(after).toEqual(
      Object.fromEntries(
        productIds.map((id) => {
          const was = before[id] ?? { onHand: 0, reserved: 0, available: 0 };
          return [
            id,
            { onHand: was.onHand, reserved: was.reserved - quantity(id), available: was.available + quantity(id) },
          ];
        }),
      ),
    );

    // Replays: the same message, another failure of the same payment, the release itself.
    expect(await consumeOverLegacyDb(eventId)).toBe("processed");
    expect(await consumeOverLegacyDb(await recordedEvent("payment_intent.payment_failed", failed))).toBe("ignored");
    const { key, variantIds } = await orderStock(legacyDb, await orderRow(toFail.id));
    expect(await stock.releaseAll(key, variantIds)).toEqual(
      variantIds.map((id) => expect.objectContaining({ ok: true, state: "released", quantity: quantity(id) })),
    );
    expect(await levels(productIds)).toEqual(after);
  });

  it("an order the old code settled stays settled: committing it again through the new code changes nothing", async () => {
    const productIds = productIdsOf(settled);
    const before = await levels(productIds);
    const { key, variantIds } = await orderStock(legacyDb, await orderRow(settled.id));
    const outcomes = await stock.commitAll(key, variantIds);
    expect(outcomes).toEqual(
      variantIds.map((id) => {
        const quantity = settled.items.find((item) => item.productId === id)?.quantity;
        return expect.objectContaining({ ok: true, state: "committed", quantity });
      }),
    );
    expect(await levels(productIds)).toEqual(before);
  });

  it("the catalog reads each migrated variant with the old sku and price; what was not for sale still is not", async () => {
    for (const product of shop.products) {
      const purchasable = await purchasableVariantsQuery(legacyDb, { variantId: product.id });
      const visible = await loadVisibleProduct(legacyDb, product.id);
      if (!product.forSale) {
        expect(purchasable).toEqual([]);
        expect(visible).toBeUndefined();
        continue;
      }
      expect(purchasable).toEqual([
        {
          variant: expect.objectContaining({
            id: product.id,
            productId: product.id,
            sku: product.sku,
            priceAmount: product.priceAmount,
          }),
          product: expect.objectContaining({ id: product.id, name: product.name, currency: product.currency }),
        },
      ]);
      expect(visible).toMatchObject({
        id: product.id,
        price_min_amount: product.priceAmount,
        price_max_amount: product.priceAmount,
        variants: [{ id: product.id, sku: product.sku, price_amount: product.priceAmount }],
      });
    }
  });

  it("a cart line the old schema wrote resolves to the variant and its product; only lines for sale count", async () => {
    const shoppers = [...new Set(shop.cartItems.map((item) => item.userId))];
    expect(shoppers.length).toBeGreaterThan(1);
    for (const userId of shoppers) {
      const old = shop.cartItems.filter((item) => item.userId === userId).toSorted((a, b) => a.id.localeCompare(b.id));
      const lines = await cartLines(legacyDb, { kind: "user", userId });
      expect(
        lines.map(({ item, variant, product }) => ({
          id: item.id,
          variantId: item.variantId,
          quantity: item.quantity,
          variant: variant && { id: variant.id, productId: variant.productId, sku: variant.sku },
          product: product?.id,
        })),
      ).toEqual(
        old.map((item) => ({
          id: item.id,
          variantId: item.productId,
          quantity: item.quantity,
          variant: {
            id: item.productId,
            productId: item.productId,
            sku: shop.products.find((product) => product.id === item.productId)?.sku,
          },
          product: item.productId,
        })),
      );

      const forSale = (productId: string) => shop.products.find((product) => product.id === productId);
      const view = cartViewFrom(
        await legacyDb.batch(cartViewQueries(legacyDb, { kind: "user", userId })),
        { storeCurrency: "usd", pricesIncludeTax: false },
        new Date(),
      );
      expect(view.subtotal_amount).toBe(
        old.reduce((sum, item) => {
          const product = forSale(item.productId);
          return product?.forSale ? sum + product.priceAmount * item.quantity : sum;
        }, 0),
      );
      expect(view.warnings.filter((warning) => warning.code === "product_unavailable").map((w) => w.item_id)).toEqual(
        old.filter((item) => !forSale(item.productId)?.forSale).map((item) => item.id),
      );
    }
  });
});
