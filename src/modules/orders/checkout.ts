/**
 * Checkout: the cart becomes an order in four steps.
 * 1. Snapshot the cart at current prices into a `pending` order and its items
 *    (one batch; integer amounts).
 * 2. Reserve every line with its product's inventory Durable Object, in
 *    product-id order. If one cannot be reserved, release the others, mark
 *    the order `rejected`, and answer 409 with each short product.
 * 3. Ask the payment provider for a payment (a PaymentIntent keyed by the
 *    order). If the provider fails: release, `payment_failed`, 502.
 * 4. Move the order to `awaiting_payment` (it expires with its reservations)
 *    and remove the bought lines from the cart.
 * Any failure after step 2 releases the reservations; if the Worker dies
 * instead, the reservations' alarm gives the stock back.
 */
import { inArray } from "drizzle-orm";
import type { Context } from "hono";
import { ApiError } from "../../platform/http/problem";
import type { AppBindings } from "../../platform/http/types";
import { newId } from "../../platform/ids";
import { cartItems, cartLines, isPurchasable } from "../cart";
import { type Payment, PaymentProviderError } from "../payments";
import { transitionOrder } from "./status";
import { orderEvents, orderItems, orders, type ShippingAddress } from "./tables";
import { loadOrder } from "./views";

export interface CheckoutInput {
  shipping_address: ShippingAddress;
  note?: string | undefined;
}

export async function checkout(c: Context<AppBindings>, input: CheckoutInput) {
  const { db, auth, config, stock, payments, logger } = c.var;
  const user = auth.user;
  if (config.requireVerifiedEmailForCheckout && !user.emailVerifiedAt) {
    throw new ApiError(403, "email_not_verified", "Verify your email address before checking out.");
  }

  const lines = await cartLines(db, user.id);
  if (lines.length === 0) throw new ApiError(422, "cart_empty", "The cart is empty.");
  const unavailable = lines.filter(({ product }) => !isPurchasable(product));
  if (unavailable.length > 0) {
    throw new ApiError(409, "product_unavailable", "Some products in the cart are no longer for sale.", {
      extensions: {
        products: unavailable.map(({ item, product }) => ({ product_id: item.productId, name: product?.name ?? null })),
      },
    });
  }

  // 1. Snapshot at current prices.
  const orderId = newId("ord");
  const now = new Date();
  const at = now.toISOString();
  const items = lines.flatMap(({ item, product }) =>
    isPurchasable(product)
      ? [
          {
            id: newId("oit"),
            orderId,
            productId: product.id,
            name: product.name,
            sku: product.sku,
            unitPriceAmount: product.priceAmount,
            quantity: item.quantity,
            lineAmount: product.priceAmount * item.quantity,
          },
        ]
      : [],
  );
  const subtotal = items.reduce((sum, item) => sum + item.lineAmount, 0);
  await db.batch([
    db.insert(orders).values({
      id: orderId,
      userId: user.id,
      status: "pending",
      subtotalAmount: subtotal,
      totalAmount: subtotal,
      currency: config.storeCurrency,
      shippingAddress: input.shipping_address,
      note: input.note ?? null,
      createdAt: at,
      updatedAt: at,
    }),
    db.insert(orderItems).values(items),
    db
      .insert(orderEvents)
      .values({ id: newId("oev"), orderId, fromStatus: null, toStatus: "pending", actorId: user.id, at }),
  ]);

  // 2. Reserve.
  const productIds = items.map((item) => item.productId);
  const reservation = await stock.reserveAll(
    orderId,
    items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    config.reservationTtlSeconds,
  );
  if (!reservation.ok) {
    await transitionOrder(db, orderId, "rejected", { reason: "insufficient_stock" });
    throw new ApiError(409, "insufficient_stock", "Not enough stock for some products in the cart.", {
      extensions: { order_id: orderId, products: reservation.shortages },
    });
  }

  // 3. The payment. If the processor fails, nothing was taken: the stock goes back and the order says why.
  let payment: Payment;
  try {
    payment = await payments.createPayment({ orderId, amount: subtotal, currency: config.storeCurrency });
  } catch (error) {
    logger.error("payment_provider_failed", { order_id: orderId, error });
    await stock.releaseAll(orderId, productIds);
    await transitionOrder(db, orderId, "payment_failed", {
      reason: "payment_provider_error",
      set: { paymentStatus: "error" },
    });
    if (error instanceof PaymentProviderError && error.rejected) {
      throw new ApiError(422, "payment_rejected", `The payment provider refused this payment: ${error.rejected}`, {
        extensions: { order_id: orderId },
      });
    }
    if (error instanceof PaymentProviderError) {
      throw new ApiError(
        502,
        "payment_provider_error",
        "The payment provider could not be reached. Nothing was charged; try again.",
        {
          extensions: { order_id: orderId },
        },
      );
    }
    throw error;
  }

  // 4. Waiting for the payment, undone if anything fails.
  try {
    const expiresAt = new Date(now.getTime() + config.reservationTtlSeconds * 1000).toISOString();
    const moved = await transitionOrder(db, orderId, "awaiting_payment", {
      from: ["pending"],
      set: {
        expiresAt,
        paymentProvider: payment.provider,
        paymentIntentId: payment.intentId,
        paymentStatus: payment.status,
        reservationKey: orderId,
      },
    });
    if (!moved.ok) throw new Error(`order ${orderId} could not leave pending (now ${moved.current})`);
    await db.delete(cartItems).where(
      inArray(
        cartItems.id,
        lines.map(({ item }) => item.id),
      ),
    );
    const order = await loadOrder(db, orderId);
    if (!order) throw new Error(`order ${orderId} vanished`);
    return {
      ...order,
      payment: {
        provider: payment.provider,
        intent_id: payment.intentId,
        client_secret: payment.clientSecret,
        status: payment.status,
      },
    };
  } catch (error) {
    logger.error("checkout_failed_after_reserving", { order_id: orderId, error });
    await stock.releaseAll(orderId, productIds);
    await transitionOrder(db, orderId, "cancelled", { reason: "checkout_failed" });
    await payments.cancelPayment(payment.intentId, orderId).catch((cancelError: unknown) => {
      logger.error("payment_cancel_failed", { order_id: orderId, error: cancelError });
    });
    throw error;
  }
}
