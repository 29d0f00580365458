/**
 * Payments behind one interface. Checkout asks the provider for a payment
 * for the order; only ids and statuses are ever stored, never card data.
 */
import { base64Url, randomBytes } from "../lib/encoding";

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

export interface PaymentProvider {
  readonly name: string;
  createPayment(request: PaymentRequest): Promise<Payment>;
}

/** Stands in for a real processor in development and tests: payment ids that resemble the real ones. */
export class MockPaymentProvider implements PaymentProvider {
  readonly name = "mock";

  async createPayment(request: PaymentRequest): Promise<Payment> {
    const intentId = `pi_mock_${request.orderId.replace(/^ord_/, "")}`;
    return {
      provider: this.name,
      intentId,
      clientSecret: `${intentId}_secret_${base64Url(randomBytes(18))}`,
      status: "requires_payment_method",
    };
  }
}
