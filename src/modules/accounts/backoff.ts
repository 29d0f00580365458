/**
 * Exponential backoff on repeated attempts against one account, stored in
 * the database so it holds across isolates and regions. Two counters per
 * attempt:
 * - the identifier typed, whatever the client: slows one account being
 *   targeted from many addresses;
 * - identifier + client address: slows one client sooner.
 * Both are keyed on what was typed, existing account or not, so the backoff
 * cannot reveal which accounts exist. Counters are forgotten after a quiet
 * day and the delay is capped at an hour, so nobody can lock a real user out
 * for longer than that at a time; a successful sign-in or password reset
 * clears them.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { sha256Hex } from "../../platform/encoding";
import { loginThrottles } from "./tables/login-throttles";

export interface BackoffPolicy {
  scope: "login" | "password_reset";
  /** Attempts allowed on one identifier before any delay. */
  freeForAccount: number;
  /** Attempts allowed on one identifier from one client before any delay. */
  freeForAccountAndClient: number;
}

/** Failed sign-ins (wrong password or wrong second-factor code). */
export const SIGN_IN: BackoffPolicy = { scope: "login", freeForAccount: 10, freeForAccountAndClient: 3 };
/** Password reset requests, counted whether or not the account exists. */
export const PASSWORD_RESET: BackoffPolicy = { scope: "password_reset", freeForAccount: 3, freeForAccountAndClient: 3 };

const MAX_DELAY_SECONDS = 3600;
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface BackoffKeys {
  policy: BackoffPolicy;
  account: string;
  accountAndClient: string;
}

function normalize(identifier: string): string {
  return identifier.trim().toLowerCase();
}

async function accountKey(policy: BackoffPolicy, identifier: string): Promise<string> {
  return `${policy.scope}:acct:${await sha256Hex(normalize(identifier))}`;
}

export async function backoffKeys(
  policy: BackoffPolicy,
  identifier: string,
  clientIp: string | null,
): Promise<BackoffKeys> {
  return {
    policy,
    account: await accountKey(policy, identifier),
    accountAndClient: `${policy.scope}:acct-ip:${await sha256Hex(`${normalize(identifier)}|${clientIp ?? "unknown"}`)}`,
  };
}

/** Seconds to wait after `attempts` counted attempts: 2^(attempts - free - 1) s, capped at an hour. */
export function delayAfter(attempts: number, free: number): number {
  if (attempts <= free) return 0;
  return Math.min(2 ** (attempts - free - 1), MAX_DELAY_SECONDS);
}

/** Seconds until another attempt is allowed, or 0. */
export async function retryAfterSeconds(db: Database, keys: BackoffKeys, now = Date.now()): Promise<number> {
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

/** Counts an attempt on both keys with atomic increments, then sets how long each is blocked. */
export async function recordAttempt(db: Database, keys: BackoffKeys, now = Date.now()): Promise<void> {
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
  const block = (key: string, attempts: number, free: number) => {
    const delay = delayAfter(attempts, free);
    const blockedUntil = delay > 0 ? new Date(now + delay * 1000).toISOString() : null;
    return db
      .update(loginThrottles)
      .set({ blockedUntil })
      .where(and(eq(loginThrottles.key, key), eq(loginThrottles.failures, attempts)));
  };
  await db.batch([
    block(keys.account, account[0]?.failures ?? 1, keys.policy.freeForAccount),
    block(keys.accountAndClient, accountAndClient[0]?.failures ?? 1, keys.policy.freeForAccountAndClient),
  ]);
}

export async function clearAttempts(db: Database, keys: BackoffKeys): Promise<void> {
  await db.delete(loginThrottles).where(inArray(loginThrottles.key, [keys.account, keys.accountAndClient]));
}

/** Forgets the sign-in failures typed as any of these identifiers (after a password reset proved the owner). */
export async function clearSignInFailures(db: Database, identifiers: string[]): Promise<void> {
  const keys = await Promise.all(identifiers.map((identifier) => accountKey(SIGN_IN, identifier)));
  await db.delete(loginThrottles).where(inArray(loginThrottles.key, keys));
}
