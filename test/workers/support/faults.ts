/**
 * Fault injection through service overrides: a replacement wraps the real service and fails the chosen call
 * the first `times` times it is made, then behaves as the real one. No prototype is patched, so nothing leaks
 * into other tests.
 */
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type { StockService } from "../../../src/modules/inventory/stock-service";
import type { PaymentProvider } from "../../../src/modules/payments/provider";
import { createDb } from "../../../src/platform/db/client";
import type { CoreServices, ServiceOverrides } from "../../../src/services";
import { testDb, unique } from "./accounts";

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

/**
 * A database whose next batch that clears cart lines fails, as a lost connection would: the last write of checkout
 * (the move to awaiting payment, in one batch with the bought lines leaving the cart).
 */
export function failingCartClearing(error: Error = new Error("database lost")): ServiceOverrides {
  let failed = false;
  const clearsCart = (statement: unknown) =>
    /^delete from "cart_items"/.test((statement as { toSQL?: () => { sql: string } }).toSQL?.().sql ?? "");
  return (real) => ({
    db: new Proxy(real.db, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== "batch" || failed || typeof value !== "function") return value;
        return (statements: unknown[]) => {
          if (!statements.some(clearsCart)) return value.call(target, statements);
          failed = true;
          return Promise.reject(error);
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

/**
 * The Worker's line to the database, which a test can cut: from then on every round trip fails as a dropped
 * connection does (`fetch` rejects), the way a Worker sees Turso become unreachable in the middle of a request.
 */
export class DatabaseLink {
  #roundTripsLeft = Number.POSITIVE_INFINITY;
  #proxyStatus: number | undefined;
  /** Round trips that reached the database. */
  roundTrips = 0;

  readonly fetch: typeof fetch = (input, init) => {
    if (this.#proxyStatus !== undefined) {
      const page = `<h1>${this.#proxyStatus}</h1><p>upstream sqld-primary.internal:8080 connection refused</p>`;
      return Promise.resolve(
        new Response(page, { status: this.#proxyStatus, headers: { "content-type": "text/html" } }),
      );
    }
    if (this.#roundTripsLeft <= 0) return Promise.reject(new TypeError("fetch failed: the database stopped answering"));
    this.#roundTripsLeft--;
    this.roundTrips++;
    return fetch(input, init);
  };

  cut(): void {
    this.#roundTripsLeft = 0;
  }

  /** Lets `roundTrips` more through, then cuts. */
  cutAfter(roundTrips: number): void {
    this.#roundTripsLeft = roundTrips;
  }

  /** From now on a proxy in front of the database answers every round trip with `status` and a page of its own. */
  proxyAnswers(status: number): void {
    this.#proxyStatus = status;
  }
}

/**
 * A database that pushes back as sqld does under load, without running the refused request: every `every`-th
 * round trip is answered HTTP 429 ("Too many concurrent requests") or, alternately, with every statement refused
 * `SQLITE_BUSY`; the others reach the database.
 */
export class Pushback {
  #trips = 0;
  readonly refused = { tooMany: 0, busy: 0 };

  constructor(private readonly every: number) {}

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    this.#trips++;
    if (this.#trips % this.every !== 0) return fetch(request);
    if ((this.#trips / this.every) % 2 === 1) {
      this.refused.tooMany++;
      return new Response(JSON.stringify({ error: "Too many concurrent requests" }), { status: 429 });
    }
    this.refused.busy++;
    const { requests = [] } = (await request.json()) as { requests?: unknown[] };
    const busy = { type: "error", error: { message: "SQLite error: database is locked", code: "SQLITE_BUSY" } };
    return Response.json({ baton: null, base_url: null, results: requests.map(() => busy) });
  };
}

/**
 * Holds every round trip whose statements match `statement` until `count` of them wait, then lets them all go at
 * once: concurrent requests all finish their reads before any of them writes, the worst interleaving for a
 * check-then-write. Fails loudly when fewer arrive, so a test cannot pass without the race it claims.
 */
export class Barrier {
  readonly #waiting: (() => void)[] = [];

  constructor(
    private readonly statement: RegExp,
    private readonly count: number,
  ) {}

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (this.statement.test(await request.clone().text())) await this.#arrive();
    return fetch(request);
  };

  #arrive(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error(`barrier: ${this.#waiting.length} of ${this.count} arrived`)),
        10_000,
      );
      this.#waiting.push(() => {
        clearTimeout(timeout);
        resolve();
      });
      if (this.#waiting.length === this.count) for (const release of this.#waiting) release();
    });
  }
}

/** Services whose database is reached through `transport` (the event intake records through it too). */
export function databaseThrough(transport: { fetch: typeof fetch }): ServiceOverrides {
  // Optional in Env (wrangler.toml sets it in no [vars]); vitest.config.ts binds the suite's database.
  const url = env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not bound: the workers pool binds the suite's database");
  return () => ({ db: createDb({ url, authToken: undefined }, transport) });
}

/** Cuts `link` as soon as `method` of the stock or payments service has returned: the step after it is the first to miss the database. */
export function cutAfter<K extends "stock" | "payments">(
  link: DatabaseLink,
  service: K,
  method: Methods<CoreServices[K]>,
): ServiceOverrides {
  return (real) => {
    const target = real[service];
    const wrapped = new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (property !== method || typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          const result: unknown = await value.apply(object, args);
          link.cut();
          return result;
        };
      },
    });
    return { [service]: wrapped } as Partial<CoreServices>;
  };
}

export interface Refusal {
  /** The database accepts those writes again. */
  lift(): Promise<void>;
}

/**
 * Until lifted, the database itself refuses one kind of write to the rows of `table` whose `column` is `value`
 * (a trigger that aborts the statement): a write that fails for a reason of the database's own, aimed so that no
 * other test's rows are touched.
 */
export async function databaseRefuses(write: {
  table: string;
  on: "insert" | "update";
  column: string;
  value: string;
}): Promise<Refusal> {
  const name = unique("refuse_");
  const row = write.on === "insert" ? "NEW" : "OLD";
  const value = write.value.replaceAll("'", "''");
  await testDb().run(
    sql.raw(
      `CREATE TRIGGER ${name} BEFORE ${write.on.toUpperCase()} ON ${write.table} WHEN ${row}.${write.column} = '${value}' BEGIN SELECT RAISE(ABORT, 'injected: the database refused this write'); END`,
    ),
  );
  return {
    async lift() {
      await testDb().run(sql.raw(`DROP TRIGGER IF EXISTS ${name}`));
    },
  };
}

export interface HeldCall {
  /** Services whose `method` waits, on its first call, until `release()`. */
  services: ServiceOverrides;
  /** Settles when that first call has been made: the request is then surely in flight. */
  reached: Promise<void>;
  release(): void;
}

/**
 * Payments whose first call to `method` waits until the test releases it, so a second request can be sent
 * while the first is certainly still running (no race left to chance); later calls go straight through.
 */
export function heldPayments(method: Methods<PaymentProvider>): HeldCall {
  let arrive = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = false;
  const services: ServiceOverrides = (real) => ({
    payments: new Proxy(real.payments, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (property === method && !held) {
            held = true;
            arrive();
            await gate;
          }
          return value.apply(target, args);
        };
      },
    }),
  });
  return { services, reached, release: () => release() };
}
