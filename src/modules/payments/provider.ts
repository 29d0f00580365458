/**
 * Payments behind one interface: Stripe when STRIPE_SECRET_KEY is set, a mock
 * otherwise (never in production). Only ids, amounts and statuses are stored,
 * never card data: the card goes from the shopper's browser to the processor.
 */
import Stripe from "stripe";
import { base64Url, randomBytes } from "../../platform/encoding";
import type { PaymentEvent } from "./events";

export interface PaymentRequest {
  orderId: string;
  amount: number;
  currency: string;
}

export interface Payment {
  provider: string;
  intentId: string;
  clientSecret: string;
  status: string;
}

export interface RefundRequest {
  orderId: string;
  intentId: string;
  amount: number;
  /** Everything refunded for the order so far, this refund included (what the processor reports back). */
  refundedTotal: number;
  currency: string;
  restock: boolean;
  reason: string;
  /** The same key for the same refund: a retried request never refunds twice. */
  idempotencyKey: string;
}

export interface PaymentProvider {
  readonly name: string;
  createPayment(request: PaymentRequest): Promise<Payment>;
  cancelPayment(intentId: string, orderId: string): Promise<void>;
  createRefund(request: RefundRequest): Promise<{ id: string }>;
}

/**
 * The processor failed or could not be reached (the caller answers 502 and
 * undoes what it started), or it refused the request itself (`rejected`, with
 * the processor's reason: e.g. an amount under its minimum), which is a 422.
 */
export class PaymentProviderError extends Error {
  readonly rejected: string | null;

  constructor(message: string, options: { cause?: unknown; rejected?: string | null } = {}) {
    super(message, { cause: options.cause });
    this.name = "PaymentProviderError";
    this.rejected = options.rejected ?? null;
  }
}

/** Stripe's errors that say the request itself cannot succeed, whatever the retries. */
const REFUSALS = new Set(["StripeInvalidRequestError", "StripeCardError"]);

async function calling<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const refusal = error instanceof Stripe.errors.StripeError && REFUSALS.has(error.type) ? error.message : null;
    throw new PaymentProviderError(`${what} failed`, { cause: error, rejected: refusal });
  }
}

class StripeProvider implements PaymentProvider {
  readonly name = "stripe";
  readonly #secretKey: string;
  #client: Stripe | undefined;

  constructor(secretKey: string) {
    this.#secretKey = secretKey;
  }

  /** Built on first use: most requests never talk to Stripe. */
  get #stripe(): Stripe {
    this.#client ??= new Stripe(this.#secretKey, { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 1 });
    return this.#client;
  }

  async createPayment(request: PaymentRequest): Promise<Payment> {
    // Keyed by order: the same order asking again (a retried step of its checkout) gets the same PaymentIntent
    // back, never a second one. A retried checkout request is a new order, and so a new PaymentIntent; the old
    // order's intent is cancelled when that order ends.
    const intent = await calling("creating the PaymentIntent", () =>
      this.#stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency,
          metadata: { order_id: request.orderId },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: `payment-intent:${request.orderId}` },
      ),
    );
    if (!intent.client_secret) throw new PaymentProviderError("the PaymentIntent has no client secret");
    return { provider: this.name, intentId: intent.id, clientSecret: intent.client_secret, status: intent.status };
  }

  async cancelPayment(intentId: string, orderId: string): Promise<void> {
    await calling("cancelling the PaymentIntent", () =>
      this.#stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey: `cancel:${orderId}` }),
    );
  }

  async createRefund(request: RefundRequest): Promise<{ id: string }> {
    const refund = await calling("creating the refund", () =>
      this.#stripe.refunds.create(
        {
          payment_intent: request.intentId,
          amount: request.amount,
          metadata: { order_id: request.orderId, restock: String(request.restock), reason: request.reason },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
    return { id: refund.id };
  }
}

/**
 * Stands in for Stripe in development and tests. Its payments succeed or
 * fail when told to (`POST /api/dev/payments/{order}/succeed|fail`), and
 * everything it would learn from Stripe arrives as the same events, through
 * the same intake and queue, as a real webhook's.
 */
export class MockPaymentProvider implements PaymentProvider {
  readonly name = "mock";

  constructor(private readonly emit: (event: PaymentEvent) => Promise<void>) {}

  async createPayment(request: PaymentRequest): Promise<Payment> {
    const intentId = MockPaymentProvider.intentIdFor(request.orderId);
    return {
      provider: this.name,
      intentId,
      clientSecret: `${intentId}_secret_${base64Url(randomBytes(18))}`,
      status: "requires_payment_method",
    };
  }

  async cancelPayment(): Promise<void> {}

  async createRefund(request: RefundRequest): Promise<{ id: string }> {
    const id = `re_mock_${base64Url(randomBytes(12))}`;
    await this.emit(
      mockEvent("charge.refunded", {
        id: `ch_mock_${request.orderId.replace(/^ord_/, "")}`,
        object: "charge",
        payment_intent: request.intentId,
        amount: request.refundedTotal,
        amount_refunded: request.refundedTotal,
        currency: request.currency,
        metadata: { order_id: request.orderId },
      }),
    );
    return { id };
  }

  static intentIdFor(orderId: string): string {
    return `pi_mock_${orderId.replace(/^ord_/, "")}`;
  }
}

/** An event shaped like Stripe's, for the mock provider. */
export function mockEvent(type: string, object: Record<string, unknown>): PaymentEvent {
  return {
    id: `evt_mock_${base64Url(randomBytes(12))}`,
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  };
}

export function createPaymentProvider(
  secretKey: string | undefined,
  emit: (event: PaymentEvent) => Promise<void>,
): PaymentProvider {
  return secretKey ? new StripeProvider(secretKey) : new MockPaymentProvider(emit);
}
