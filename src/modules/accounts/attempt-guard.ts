/**
 * One Durable Object per identifier and purpose (the sign-ins typed as one
 * username, the reset requests for one email) counts attempts and decides in
 * the same step. Each method reads and writes its SQLite storage with no
 * `await` in between, so the input gate makes it atomic: of a burst of
 * parallel guesses, only those the schedule allows get through, the rest are
 * refused without being counted (so a refused guess never lengthens the wait).
 *
 * Three kinds of counter, each with its own free attempts:
 * - `account`: every attempt on the identifier not made through a device
 *   token, from anywhere;
 * - `client:<key>`: those from one client network (IPv4 address, IPv6 /64);
 * - `device:<id>`: those made with one device token, issued after a sign-in
 *   that succeeded. A known device is held only by its own counter, so
 *   failures from elsewhere never lock its owner out (OWASP's device cookies).
 */
import { DurableObject } from "cloudflare:workers";
import { delayAfter } from "./backoff";

export interface GuardPolicy {
  /** Attempts on the identifier before any delay. */
  freeForAccount: number;
  /** Attempts from one client network before any delay. */
  freeForClient: number;
  /** Attempts through one device token before any delay. */
  freeForDevice: number;
}

export interface Attempt {
  policy: GuardPolicy;
  /** The client's network key (`c.var.clientKey`). */
  client: string;
  /** The id inside a device token already verified for this identifier. */
  device?: string;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** A counter quiet for a day is forgotten. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** The counters an attempt is held by: its device's alone, or the identifier's and its client's. */
function counterKeys(attempt: Pick<Attempt, "client" | "device">) {
  return attempt.device
    ? [{ key: `device:${attempt.device}`, kind: "device" as const }]
    : [
        { key: "account", kind: "account" as const },
        { key: `client:${attempt.client}`, kind: "client" as const },
      ];
}

type CounterRow = { attempts: number; last_at: number; blocked_until: number };

export class AttemptGuard extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS counters (
        key TEXT PRIMARY KEY,
        attempts INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        blocked_until INTEGER NOT NULL
      )`,
    );
  }

  /** Counts the attempt and lets it through, or refuses it (uncounted) with how long to wait. */
  async admit(attempt: Attempt, now = Date.now()): Promise<Admission> {
    const { freeForAccount, freeForClient, freeForDevice } = attempt.policy;
    const free = { device: freeForDevice, account: freeForAccount, client: freeForClient };
    const counters = counterKeys(attempt).map(({ key, kind }) => ({
      key,
      free: free[kind],
      row: this.#counter(key, now),
    }));
    const blockedUntil = Math.max(0, ...counters.map(({ row }) => row?.blocked_until ?? 0));
    if (blockedUntil > now) return { admitted: false, retryAfterSeconds: Math.ceil((blockedUntil - now) / 1000) };
    for (const { key, free, row } of counters) {
      const attempts = (row?.attempts ?? 0) + 1;
      const delay = delayAfter(attempts, free);
      this.ctx.storage.sql.exec(
        `INSERT INTO counters (key, attempts, last_at, blocked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET attempts = excluded.attempts, last_at = excluded.last_at,
           blocked_until = excluded.blocked_until`,
        key,
        attempts,
        now,
        delay > 0 ? now + delay * 1000 : 0,
      );
    }
    await this.ctx.storage.setAlarm(now + FORGET_AFTER_MS);
    return { admitted: true };
  }

  /**
   * The attempt proved the password: its client's counter goes, and the counter it was held by (the device's,
   * or the identifier's own). Failures recorded elsewhere against a device token stay.
   */
  async succeeded(attempt: Pick<Attempt, "client" | "device">): Promise<void> {
    for (const { key } of counterKeys(attempt)) this.ctx.storage.sql.exec("DELETE FROM counters WHERE key = ?", key);
  }

  /** Forgets every counter (after a password reset proved the owner). */
  async clear(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM counters");
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.ctx.storage.sql.exec("DELETE FROM counters WHERE last_at < ?", now - FORGET_AFTER_MS);
    const [left] = this.ctx.storage.sql.exec<{ count: number }>("SELECT count(*) AS count FROM counters").toArray();
    if (left?.count) await this.ctx.storage.setAlarm(now + FORGET_AFTER_MS);
    else await this.ctx.storage.deleteAll();
  }

  /** The counter, or undefined when it never existed or has been quiet for a day. */
  #counter(key: string, now: number): CounterRow | undefined {
    const [row] = this.ctx.storage.sql
      .exec<CounterRow>("SELECT attempts, last_at, blocked_until FROM counters WHERE key = ?", key)
      .toArray();
    return row && now - row.last_at <= FORGET_AFTER_MS ? row : undefined;
  }
}
