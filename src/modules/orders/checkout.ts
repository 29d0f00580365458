/**
 * Checkout: the cart becomes an order through a saga of four steps, each keyed by the order id chosen before
 * the first one runs, so each can be retried or undone without doing anything twice.
 *
 * | step            | run                                                        | compensate                        |
 * |-----------------|------------------------------------------------------------|-----------------------------------|
 * | snapshot order  | a `pending` order with its lines at current prices, its code's use and its tax lines, unless the shopper has an open order, a line's variant changed since the cart was read, or the code reached a limit (409) | end it: rejected, payment_failed or cancelled, by cause (which gives the use back) |
 * | reserve stock   | every line with its variant's Durable Object, all at once   | release every line               |
 * | create payment  | a PaymentIntent keyed by the order                         | cancel it                         |
 * | await payment   | `pending → awaiting_payment` recording the intent, bought lines leave the cart | (none: it is the last step) |
 *
 * A Worker that dies between steps compensates nothing: the reservations lapse by alarm, and the cron ends an
 * order left `pending` past the reservation TTL (`expireOverdueOrders`); the shopper's next checkout ends it
 * sooner, once it is STALE_CHECKOUT_MS old. The PaymentIntent is recorded by the last step's one write (a
 * separate write would cost every checkout a round trip): a Worker that dies between creating it and that write
 * leaves an intent that no client ever received the secret of, so nobody can pay it.
 */
import { and, eq, exists, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { isRaisedBy } from "../../platform/db/errors";
import { IN_FLIGHT_LEASE_MS } from "../../platform/http/idempotency";
import type { z } from "../../platform/http/openapi";
import { ApiError, invalidField } from "../../platform/http/problem";
import { newId } from "../../platform/ids";
import { runSaga, type SagaFailure, type SagaStep } from "../../platform/saga";
import { users } from "../accounts";
import {
  type CartAccess,
  cartItems,
  cartLines,
  carts,
  isPurchasable,
  priceCart,
  pricingQueries,
  selectionOfCart,
  toPricingContext,
} from "../cart";
import {
  customerKey,
  customerKeySql,
  type DiscountCodeRow,
  discountRedemptions,
  REDEMPTION_REFUSALS,
  redemptionRefused,
} from "../discounts";
import { type Payment, PaymentProviderError } from "../payments";
import { shippingMethodUnavailable } from "../shipping";
import { releaseOrder } from "./release";
import type { CheckoutSchema, OrderView } from "./schemas";
import type { OrderServices } from "./services";
import { moveStatements, transitionOrder } from "./status";
import { type OrderStatus, orderEvents, orderItems, orders, orderTaxLines } from "./tables";
import { orderDetailQueries, orderQuery, toOrderView } from "./views";

export type CheckoutInput = z.infer<typeof CheckoutSchema>;

interface OrderAmounts {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  pricesIncludeTax: boolean;
}

/** Everything the steps share: chosen before the first step, filled in as they run. */
export interface CheckoutState {
  readonly orderId: string;
  /** The account, or null for a guest (whose order belongs to `guestCartId`). */
  readonly userId: string | null;
  readonly guestCartId: string | null;
  readonly input: CheckoutInput;
  readonly createdAt: Date;
  readonly createdEventId: string;
  /** The cart checked out. */
  readonly cartId: string | null;
  /** Cart lines bought by this order (they leave the cart in the last step). */
  readonly cartItemIds: string[];
  readonly items: (typeof orderItems.$inferInsert)[];
  readonly taxLines: (typeof orderTaxLines.$inferInsert)[];
  /** Every amount of the order, from the one pricing function. */
  readonly amounts: OrderAmounts;
  /** Where the order's emails go. */
  readonly email: string;
  /** The code used, with who it counts against; null when none. */
  readonly redemption: { code: DiscountCodeRow; customer: string } | null;
  readonly shippingMethod: { id: string; name: string };
  payment?: Payment;
  /** The order as the last step left it. */
  view?: OrderView;
}

/** The reason the `orders_one_open_per_user` trigger (migration 0008, for guest carts too since 0010) raises. */
const OPEN_ORDER_EXISTS = "open_order_exists";
/** The reason the `order_items_variant_on_sale` trigger (migration 0009) raises. */
const CART_CHANGED = "cart_changed";
const OPEN_STATUSES: OrderStatus[] = ["pending", "awaiting_payment"];
/**
 * A checkout still `pending` after this long has died (its Worker was cancelled or lost the database): the
 * shopper's next checkout ends it rather than waiting for the cron. The idempotency layer makes the same
 * judgement of an unfinished request.
 */
export const STALE_CHECKOUT_MS = IN_FLIGHT_LEASE_MS;

/** The shopper's open order, if any: an account's, or a guest cart's. */
async function findOpenOrder(db: OrderServices["db"], buyer: Pick<CheckoutState, "userId" | "guestCartId">) {
  const [open] = await db
    .select({ id: orders.id, status: orders.status, createdAt: orders.createdAt })
    .from(orders)
    .where(
      and(
        buyer.userId ? eq(orders.userId, buyer.userId) : eq(orders.guestCartId, buyer.guestCartId ?? ""),
        inArray(orders.status, OPEN_STATUSES),
      ),
    )
    .limit(1);
  return open;
}

type OpenOrder = Awaited<ReturnType<typeof findOpenOrder>>;

/** The 409 for a shopper who has an open order, naming it so the client can pay or cancel it. */
function openOrderExists(open: OpenOrder): ApiError {
  return new ApiError(
    409,
    OPEN_ORDER_EXISTS,
    "An order of yours is still open (checking out or awaiting payment): pay or cancel it before checking out again.",
    { extensions: { order_id: open?.id ?? null, order_status: open?.status ?? null } },
  );
}

/** The cart's code was deleted or switched off: the 409 of checkout (applying a code, it is a 404). */
function codeGone(): ApiError {
  return new ApiError(
    409,
    "discount_not_found",
    "The code in your cart no longer exists: remove it (DELETE /api/cart/discount).",
  );
}

/** A checkout that died: still `pending` STALE_CHECKOUT_MS after it began. */
function isStaleCheckout(open: NonNullable<OpenOrder>, now: Date): boolean {
  return open.status === "pending" && Date.parse(open.createdAt) <= now.getTime() - STALE_CHECKOUT_MS;
}

/** Ends a checkout that died (stock given back, its PaymentIntent cancelled), as the cron would later. */
async function endAbandonedCheckout(services: OrderServices, orderId: string): Promise<void> {
  const released = await releaseOrder(services, orderId, {
    to: "expired",
    from: ["pending"],
    actor: "system",
    reason: "checkout_abandoned",
    cancelPayment: true,
  });
  await released.cancelPayment?.().catch((error: unknown) => {
    services.logger.error("payment_cancel_failed", { order_id: orderId, error });
  });
}

/** Why the order ends when the saga is undone: the step that failed decides. */
function endingFor({ step, error }: SagaFailure): { to: OrderStatus; reason: string; paymentStatus?: string } {
  if (step === "reserve_stock" && error instanceof ApiError && error.code === "insufficient_stock") {
    return { to: "rejected", reason: "insufficient_stock" };
  }
  // Nothing was charged, whatever went wrong while asking for the payment.
  if (step === "create_payment")
    return { to: "payment_failed", reason: "payment_provider_error", paymentStatus: "error" };
  return { to: "cancelled", reason: "checkout_failed" };
}

/** The four steps, in order. Exported so tests can run a prefix of them, as a Worker that died would have. */
export function checkoutSteps(services: OrderServices): SagaStep<CheckoutState>[] {
  const { db, stock, payments, config } = services;

  /**
   * The pending order, its lines and first event, written together; false when the `orders_one_open_per_user`
   * trigger refused them (the shopper has an open order).
   */
  async function insertSnapshot(state: CheckoutState, at: string): Promise<boolean> {
    try {
      await db.batch([
        db
          .insert(orders)
          .values({
            id: state.orderId,
            userId: state.userId,
            guestCartId: state.guestCartId,
            email: state.email,
            status: "pending",
            subtotalAmount: state.amounts.subtotal,
            discountAmount: state.amounts.discount,
            shippingAmount: state.amounts.shipping,
            taxAmount: state.amounts.tax,
            pricesIncludeTax: state.amounts.pricesIncludeTax,
            totalAmount: state.amounts.total,
            discountCode: state.redemption?.code.code ?? null,
            shippingMethodId: state.shippingMethod.id,
            shippingMethodName: state.shippingMethod.name,
            currency: config.storeCurrency,
            shippingAddress: state.input.shipping_address,
            note: state.input.note ?? null,
            createdAt: at,
            updatedAt: at,
          })
          .onConflictDoNothing(),
        db.insert(orderItems).values(state.items).onConflictDoNothing(),
        db
          .insert(orderEvents)
          .values({
            id: state.createdEventId,
            orderId: state.orderId,
            fromStatus: null,
            toStatus: "pending",
            actorId: state.userId,
            at,
          })
          .onConflictDoNothing(),
        ...snapshotExtras(state, at),
      ]);
      return true;
    } catch (error) {
      if (isRaisedBy(error, OPEN_ORDER_EXISTS)) return false;
      // The code reached a limit, ended or was switched off since the cart was read (a concurrent checkout used
      // its last use): the redemption trigger refused the whole write.
      const refusal = REDEMPTION_REFUSALS.find((reason) => isRaisedBy(error, reason));
      if (refusal === "discount_inactive") throw codeGone();
      if (refusal && state.redemption) throw redemptionRefused(refusal, state.redemption.code);
      // A variant of the cart was deleted, taken off sale or repriced between reading the cart and this write.
      if (isRaisedBy(error, CART_CHANGED)) {
        throw new ApiError(
          409,
          CART_CHANGED,
          "A product in your cart changed while you were checking out: review the cart and try again.",
        );
      }
      throw error;
    }
  }

  /** The use of the code and the tax lines, written with the order (the redemption's trigger holds the limits). */
  function snapshotExtras(state: CheckoutState, at: string) {
    const extras: BatchItem<"sqlite">[] = [];
    if (state.redemption) {
      extras.push(
        db
          .insert(discountRedemptions)
          .values({
            id: newId("dru"),
            codeId: state.redemption.code.id,
            orderId: state.orderId,
            customer: state.redemption.customer,
            amount: state.amounts.discount,
            createdAt: at,
          })
          .onConflictDoNothing({ target: discountRedemptions.orderId }),
      );
    }
    if (state.taxLines.length > 0) extras.push(db.insert(orderTaxLines).values(state.taxLines).onConflictDoNothing());
    return extras;
  }

  return [
    {
      name: "snapshot_order",
      async run(state) {
        const at = state.createdAt.toISOString();
        if (await insertSnapshot(state, at)) return;
        // Refused: the shopper has an open order. Once more if it was a checkout that died (ended here) or has
        // ended since (a concurrent checkout ended it); a live one is named in the 409.
        const open = await findOpenOrder(db, state);
        if (open && !isStaleCheckout(open, state.createdAt)) throw openOrderExists(open);
        if (open) await endAbandonedCheckout(services, open.id);
        if (!(await insertSnapshot(state, at))) throw openOrderExists(await findOpenOrder(db, state));
      },
      async compensate(state, failure) {
        // Refused for an open order or a changed cart, this order was never written: nothing to end.
        const refused =
          failure.error instanceof ApiError &&
          [OPEN_ORDER_EXISTS, CART_CHANGED, "discount_not_found", ...REDEMPTION_REFUSALS].includes(failure.error.code);
        if (failure.step === "snapshot_order" && refused) return;
        const ending = endingFor(failure);
        await transitionOrder(db, state.orderId, ending.to, {
          actor: "system",
          // awaiting_payment too: the last step may fail after its transition took.
          from: ["pending", "awaiting_payment"],
          reason: ending.reason,
          set: ending.paymentStatus ? { paymentStatus: ending.paymentStatus } : undefined,
        });
      },
    },
    {
      name: "reserve_stock",
      async run(state) {
        const reservation = await stock.reserveAll(
          state.orderId,
          state.items.map((item) => ({ variantId: item.variantId, quantity: item.quantity })),
          config.reservationTtlSeconds,
        );
        if (!reservation.ok) {
          throw new ApiError(409, "insufficient_stock", "Not enough stock for some items in the cart.", {
            extensions: { order_id: state.orderId, variants: reservation.shortages },
          });
        }
      },
      async compensate(state, failure) {
        // Refused for stock, `reserveAll` has already released what it reserved: no second round of calls.
        const refused = failure.error instanceof ApiError && failure.error.code === "insufficient_stock";
        if (failure.step === "reserve_stock" && refused) return;
        await stock.releaseAll(
          state.orderId,
          state.items.map((item) => item.variantId),
        );
      },
    },
    {
      name: "create_payment",
      async run(state) {
        try {
          state.payment = await payments.createPayment({
            orderId: state.orderId,
            amount: state.amounts.total,
            currency: config.storeCurrency,
          });
        } catch (error) {
          if (!(error instanceof PaymentProviderError)) throw error;
          services.logger.error("payment_provider_failed", { order_id: state.orderId, error });
          if (error.rejected) {
            throw new ApiError(
              422,
              "payment_rejected",
              `The payment provider refused this payment: ${error.rejected}`,
              {
                extensions: { order_id: state.orderId },
              },
            );
          }
          throw new ApiError(
            502,
            "payment_provider_error",
            "The payment provider could not be reached. Nothing was charged; try again.",
            { extensions: { order_id: state.orderId } },
          );
        }
      },
      async compensate(state) {
        if (state.payment) await payments.cancelPayment(state.payment.intentId, state.orderId);
      },
    },
    {
      name: "await_payment",
      async run(state) {
        const payment = state.payment;
        if (!payment) throw new Error(`order ${state.orderId} has no payment to wait for`);
        const expiresAt = new Date(state.createdAt.getTime() + config.reservationTtlSeconds * 1000).toISOString();
        // One round trip: the move (which also records the PaymentIntent, so the cron can cancel it from here
        // on), the bought lines leaving the cart only if the order moved, and the order as it now is.
        const [[moved], , , [order], items, events] = await db.batch([
          ...moveStatements(db, state.orderId, "pending", "awaiting_payment", {
            set: {
              expiresAt,
              paymentProvider: payment.provider,
              paymentIntentId: payment.intentId,
              paymentStatus: payment.status,
              reservationKey: state.orderId,
            },
          }),
          db.delete(cartItems).where(
            and(
              inArray(cartItems.id, state.cartItemIds),
              exists(
                db
                  .select({ id: orders.id })
                  .from(orders)
                  .where(and(eq(orders.id, state.orderId), eq(orders.status, "awaiting_payment"))),
              ),
            ),
          ),
          orderQuery(db, state.orderId),
          ...orderDetailQueries(db, state.orderId),
          // The cart lets go of the code this order used, so the next order does not reuse it unasked.
          db
            .update(carts)
            .set({ discountCodeId: null })
            .where(
              and(
                eq(carts.id, state.cartId ?? ""),
                eq(carts.discountCodeId, state.redemption?.code.id ?? ""),
                exists(
                  db
                    .select({ id: orders.id })
                    .from(orders)
                    .where(and(eq(orders.id, state.orderId), eq(orders.status, "awaiting_payment"))),
                ),
              ),
            ),
        ]);
        if (!moved || !order) {
          throw new Error(`order ${state.orderId} could not leave pending (now ${order?.status ?? "gone"})`);
        }
        state.view = toOrderView(order, items, events);
      },
    },
  ];
}

/**
 * The shopper's cart as an order snapshot at current prices, priced for the address with the method and the
 * cart's code, or the 4xx that says why it cannot be one; its one round trip also checks the account's session
 * or the guest's cart token (and carries the idempotency claim).
 */
export async function prepareCheckout(
  services: OrderServices,
  access: Pick<CartAccess, "owner" | "check">,
  input: CheckoutInput,
): Promise<CheckoutState> {
  const { db, config, clock } = services;
  const { owner } = access;
  if (owner.kind === "user" && input.email !== undefined) {
    throw invalidField("body.email", "A signed-in shopper's order emails go to the account's address: leave it out");
  }
  if (owner.kind === "guest" && input.email === undefined) {
    throw invalidField("body.email", "Required when checking out as a guest: the order and its link are sent there");
  }
  const address = input.shipping_address;
  // Before the session check the account's address is not known: its key is computed in the same read.
  const customer =
    owner.kind === "user"
      ? customerKeySql(sql`(select ${users.email} from ${users} where ${users.id} = ${owner.userId})`)
      : customerKey(input.email ?? "");
  const selection = { ...selectionOfCart(owner), country: address.country };
  const [shopper, lines, ...pricing] = await access.check(
    cartLines(db, owner),
    ...pricingQueries(db, owner, selection, customer),
  );
  const user = shopper.kind === "user" ? shopper.user : null;
  if (user && config.requireVerifiedEmailForCheckout && !user.emailVerifiedAt) {
    throw new ApiError(403, "email_not_verified", "Verify your email address before checking out.");
  }
  if (lines.length === 0) throw new ApiError(422, "cart_empty", "The cart is empty.");
  const unavailable = lines.filter((line) => !isPurchasable(line));
  if (unavailable.length > 0) {
    throw new ApiError(409, "product_unavailable", "Some products in the cart are no longer for sale.", {
      extensions: {
        products: unavailable.map(({ item, variant, product }) => ({
          product_id: variant?.productId ?? null,
          variant_id: item.variantId,
          name: product?.name ?? null,
        })),
      },
    });
  }
  const createdAt = clock.now();
  const context = toPricingContext(pricing);
  const cart = priceCart(lines, context, {
    now: createdAt.toISOString(),
    pricesIncludeTax: config.pricesIncludeTax,
    shippingMethodId: input.shipping_method_id,
    codeId: context.cart?.discountCodeId ?? null,
    region: address.region ?? null,
  });
  if (!cart.method) throw shippingMethodUnavailable(address.country, context.methods);
  if (cart.codeGone) throw codeGone();
  if (cart.refusal) throw cart.refusal;
  if (cart.taxRefusal) throw cart.taxRefusal;
  const orderId = newId("ord");
  const { priced, rate } = cart;
  const pricedLines = new Map(priced.lines.map((line) => [line.id, line]));
  const items = lines.flatMap((line) => {
    const amounts = pricedLines.get(line.item.id);
    if (!isPurchasable(line) || !amounts) return [];
    return [
      {
        id: newId("oit"),
        orderId,
        productId: line.product.id,
        variantId: line.variant.id,
        name: line.product.name,
        variantTitle: line.variant.title,
        sku: line.variant.sku,
        unitPriceAmount: line.variant.priceAmount,
        quantity: line.item.quantity,
        lineAmount: amounts.lineAmount,
        discountAmount: amounts.discountAmount,
        taxAmount: amounts.taxAmount,
      },
    ];
  });
  const taxLine = (orderItemId: string | null, taxableAmount: number, amount: number) =>
    rate
      ? [
          {
            id: newId("otx"),
            orderId,
            orderItemId,
            name: rate.name,
            country: rate.country,
            region: rate.region || null,
            rateBps: rate.rateBps,
            taxableAmount,
            amount,
          },
        ]
      : [];
  const taxLines = [
    ...items.flatMap((item) => taxLine(item.id, item.lineAmount - item.discountAmount, item.taxAmount)),
    ...(priced.shippingAmount > 0 ? taxLine(null, priced.shippingAmount, priced.shippingTaxAmount) : []),
  ];
  return {
    orderId,
    userId: user?.id ?? null,
    guestCartId: shopper.kind === "guest" ? shopper.cart.id : null,
    input,
    createdAt,
    createdEventId: newId("oev"),
    cartId: context.cart?.id ?? null,
    cartItemIds: lines.map(({ item }) => item.id),
    items,
    taxLines,
    amounts: {
      subtotal: priced.subtotalAmount,
      discount: priced.discountAmount,
      shipping: priced.shippingAmount,
      tax: priced.taxAmount,
      total: priced.totalAmount,
      pricesIncludeTax: config.pricesIncludeTax,
    },
    email: user?.email ?? (input.email ?? "").trim(),
    redemption: cart.code ? { code: cart.code, customer: customerKey(user?.email ?? input.email ?? "") } : null,
    shippingMethod: { id: cart.method.id, name: cart.method.name },
  };
}

/**
 * Runs checkout for a signed-in shopper or a guest: the order as created, with what the client needs to pay it.
 * Three round trips to the database (the credential's check with the cart, the snapshot, the move to awaiting payment)
 * and one call per variant to the stock objects, all at once.
 */
export async function checkout(
  services: OrderServices,
  access: Pick<CartAccess, "owner" | "check">,
  input: CheckoutInput,
) {
  const state = await prepareCheckout(services, access, input);
  await runSaga(checkoutSteps(services), state, services.logger, { order_id: state.orderId });
  const { view, payment } = state;
  if (!view || !payment) throw new Error(`order ${state.orderId} finished checkout without its view or payment`);
  return {
    ...view,
    payment: {
      provider: payment.provider,
      intent_id: payment.intentId,
      client_secret: payment.clientSecret,
      status: payment.status,
    },
  };
}
