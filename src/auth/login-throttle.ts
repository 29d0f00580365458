/**
 * Per-account backoff after failed sign-ins, stored in the database so it
 * holds across isolates and regions. Two counters per attempt:
 * - the identifier typed, whatever the client: slows one account being guessed
 *   from many addresses; generous before it starts, capped at an hour;
 * - identifier + client address: slows one client quickly.
 * Both are keyed on what was typed, existing account or not, so the backoff
 * cannot reveal which accounts exist. Counters are forgotten after a quiet
 * day and cleared by a successful sign-in or password reset, so nobody can
 * lock a real user out for longer than the cap.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { loginThrottles } from "../db/schema";
import { sha256Hex } from "../lib/encoding";

interface Policy {
  /** Failures allowed before any delay. */
  free: number;
}

const ACCOUNT: Policy = { free: 10 };
const ACCOUNT_AND_CLIENT: Policy = { free: 3 };
const MAX_DELAY_SECONDS = 3600;
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface ThrottleKeys {
  account: string;
  accountAndClient: string;
}

export async function throttleKeys(identifier: string, clientIp: string | null): Promise<ThrottleKeys> {
  const normalized = identifier.trim().toLowerCase();
  return {
    account: `acct:${await sha256Hex(normalized)}`,
    accountAndClient: `acct-ip:${await sha256Hex(`${normalized}|${clientIp ?? "unknown"}`)}`,
  };
}

/** Seconds to wait before the delay after `failures` failures ends: 2^(failures - free) s, capped at an hour. */
export function delayAfter(failures: number, policy: Policy): number {
  if (failures <= policy.free) return 0;
  return Math.min(2 ** (failures - policy.free - 1), MAX_DELAY_SECONDS);
}

/** Seconds until another attempt is allowed, or 0. */
export async function retryAfterSeconds(db: Database, keys: ThrottleKeys, now = Date.now()): Promise<number> {
  const rows = await db
    .select()
    .from(loginThrottles)
    .where(inArray(loginThrottles.key, [keys.account, keys.accountAndClient]));
  let wait = 0;
  for (const row of rows) {
    if (!row.blockedUntil || now - Date.parse(row.lastFailureAt) > FORGET_AFTER_MS) continue;
    wait = Math.max(wait, Math.ceil((Date.parse(row.blockedUntil) - now) / 1000));
  }
  return wait;
}

/** Counts a failure on both keys with atomic increments, then sets how long each is blocked. */
export async function recordFailure(db: Database, keys: ThrottleKeys, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString();
  const forgottenBefore = new Date(now - FORGET_AFTER_MS).toISOString();
  const increment = (key: string) =>
    db
      .insert(loginThrottles)
      .values({ key, failures: 1, lastFailureAt: at, blockedUntil: null })
      .onConflictDoUpdate({
        target: loginThrottles.key,
        set: {
          failures: sql`case when ${loginThrottles.lastFailureAt} < ${forgottenBefore} then 1 else ${loginThrottles.failures} + 1 end`,
          lastFailureAt: at,
        },
      })
      .returning({ failures: loginThrottles.failures });
  const [account, accountAndClient] = await db.batch([increment(keys.account), increment(keys.accountAndClient)]);
  const block = (key: string, failures: number, policy: Policy) => {
    const delay = delayAfter(failures, policy);
    const blockedUntil = delay > 0 ? new Date(now + delay * 1000).toISOString() : null;
    return db
      .update(loginThrottles)
      .set({ blockedUntil })
      .where(and(eq(loginThrottles.key, key), eq(loginThrottles.failures, failures)));
  };
  await db.batch([
    block(keys.account, account[0]?.failures ?? 1, ACCOUNT),
    block(keys.accountAndClient, accountAndClient[0]?.failures ?? 1, ACCOUNT_AND_CLIENT),
  ]);
}

export async function clearFailures(db: Database, keys: ThrottleKeys): Promise<void> {
  await db.delete(loginThrottles).where(inArray(loginThrottles.key, [keys.account, keys.accountAndClient]));
}
