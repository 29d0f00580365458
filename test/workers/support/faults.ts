/**
 * Fault injection through service overrides: a replacement wraps the real service and fails the chosen call
 * the first `times` times it is made, then behaves as the real one. No prototype is patched, so nothing leaks
 * into other tests.
 */
import type { StockService } from "../../../src/modules/inventory/stock-service";
import type { PaymentProvider } from "../../../src/modules/payments/provider";
import type { ServiceOverrides } from "../../../src/services";

type Methods<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

function failing<T extends object>(real: T, method: Methods<T>, error: Error, times: number): T {
  let left = times;
  return new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (property === method && left > 0) {
          left--;
          return Promise.reject(error);
        }
        return value.apply(target, args);
      };
    },
  });
}

/** Payments whose `method` fails `times` times with `error`. */
export function failingPayments(
  method: Methods<PaymentProvider>,
  error: Error = new Error("injected failure"),
  times = 1,
): ServiceOverrides {
  return (real) => ({ payments: failing(real.payments, method, error, times) });
}

/** Stock whose `method` fails `times` times with `error` (a Durable Object that cannot be reached). */
export function failingStock(
  method: Methods<StockService>,
  error: Error = new Error("stock object unavailable"),
  times = 1,
): ServiceOverrides {
  return (real) => ({ stock: failing(real.stock, method, error, times) });
}

export interface PaymentCall {
  method: string;
  orderId: string | undefined;
}

/** Every call made to the payment provider, with the order it was for, while still calling the real one. */
export function recordingPayments(calls: PaymentCall[]): ServiceOverrides {
  return (real) => ({
    payments: new Proxy(real.payments, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          // cancelPayment(intentId, orderId); createPayment({ orderId, … }) and createRefund({ orderId, … }).
          const [first, second] = args;
          const orderId = typeof second === "string" ? second : (first as { orderId?: string } | undefined)?.orderId;
          calls.push({ method: String(property), orderId });
          return value.apply(target, args);
        };
      },
    }),
  });
}

/** A database whose next `delete` fails: the last write of checkout (clearing the bought cart lines). */
export function failingDelete(error: Error = new Error("database lost")): ServiceOverrides {
  let failed = false;
  return (real) => ({
    db: new Proxy(real.db, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "delete" || failed || typeof value !== "function") return value;
        return () => {
          failed = true;
          return { where: () => Promise.reject(error) };
        };
      },
    }),
  });
}

/** Several overrides applied in order, each seeing the services the previous ones left. */
export function combined(...overrides: ServiceOverrides[]): ServiceOverrides {
  return (real) => {
    let services = real;
    for (const override of overrides) services = { ...services, ...override(services) };
    return services;
  };
}
