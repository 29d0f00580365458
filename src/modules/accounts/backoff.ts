/**
 * Exponential backoff on attempts against one identifier, counted and decided
 * in one step by that identifier's AttemptGuard (a Durable Object), so a
 * burst of parallel guesses from many addresses is held to the schedule
 * inside the burst. Guards are keyed on the canonical form of what was typed
 * (`signInIdentifier`), existing account or not, so the backoff cannot reveal
 * which accounts exist, and every spelling of one name (full-width, another
 * script's look-alikes, case) shares one guard. Re-authentication on account
 * changes (current password, codes) is held by a guard of its own per user,
 * which only requests carrying that user's tokens reach, so strangers at the
 * sign-in form cannot block the owner's changes; its attempts also count on
 * the sign-in guards of the account's username and email. Counters are
 * forgotten after a quiet day and the delay is capped at an hour; a known
 * device (a device token) is held only by its own counter, and a password
 * reset clears them all.
 */
import { sha256Hex } from "../../platform/encoding";
import type { Admission, AttemptGuard, GuardPolicy } from "./attempt-guard";
import type { UserRow } from "./tables/users";

export interface BackoffPolicy extends GuardPolicy {
  scope: "login" | "password_reset" | "reauthentication";
}

/** Sign-ins (wrong password or second-factor code) and re-authentication on account changes. */
export const SIGN_IN: BackoffPolicy = { scope: "login", freeForAccount: 10, freeForClient: 3, freeForDevice: 10 };
/** Current passwords and codes sent by a signed-in user (or with a reset link), per user. */
const REAUTHENTICATION: BackoffPolicy = {
  scope: "reauthentication",
  freeForAccount: 10,
  freeForClient: 3,
  freeForDevice: 0,
};
/** Password reset requests, counted whether or not the account exists. */
export const PASSWORD_RESET: BackoffPolicy = {
  scope: "password_reset",
  freeForAccount: 3,
  freeForClient: 3,
  freeForDevice: 0,
};

const MAX_DELAY_SECONDS = 3600;

/** Seconds to wait after `attempts` counted attempts: 2^(attempts − free − 1) s, capped at an hour. */
export function delayAfter(attempts: number, free: number): number {
  if (attempts <= free) return 0;
  return Math.min(2 ** (attempts - free - 1), MAX_DELAY_SECONDS);
}

/** Who is attempting: the client's network key and, on sign-in, the id of a device token verified for the guard. */
export interface Attempter {
  client: string;
  device?: string;
}

/** The guards of one purpose, by the canonical key of an identifier (what `signInIdentifier` returns). */
export class AttemptGuards {
  constructor(private readonly namespace: DurableObjectNamespace<AttemptGuard>) {}

  /** The guard's name: purpose and a hash of the key, so no identifier is kept in the clear. */
  static async nameOf(policy: BackoffPolicy, key: string): Promise<string> {
    return `${policy.scope}:${await sha256Hex(key)}`;
  }

  async #stub(policy: BackoffPolicy, key: string) {
    return this.namespace.getByName(await AttemptGuards.nameOf(policy, key));
  }

  /** Counts the attempt and lets it through, or refuses it with the wait. */
  async admit(policy: BackoffPolicy, key: string, who: Attempter, now: number): Promise<Admission> {
    const { scope: _scope, ...limits } = policy;
    return (await this.#stub(policy, key)).admit({ policy: limits, ...who }, now);
  }

  async succeeded(policy: BackoffPolicy, key: string, who: Attempter): Promise<void> {
    await (await this.#stub(policy, key)).succeeded(who);
  }

  /**
   * Re-authentication by a user already proved by a token: held by the user's own guard; once admitted, also
   * counted on the sign-in guards of the account's username and email (where those are not already waiting),
   * so guesses with a stolen access token spend the account's sign-in budget too. A refused one counts nowhere.
   */
  async admitReauthentication(user: AccountIdentity, client: string, now: number): Promise<Admission> {
    const gate = await this.admit(REAUTHENTICATION, user.id, { client }, now);
    if (gate.admitted) await Promise.all(accountKeys(user).map((key) => this.admit(SIGN_IN, key, { client }, now)));
    return gate;
  }

  async reauthenticated(user: AccountIdentity, client: string): Promise<void> {
    await this.succeeded(REAUTHENTICATION, user.id, { client });
  }

  /** Forgets every counter of the account: sign-in by username and email, re-authentication (after a reset). */
  async clearAccount(user: AccountIdentity): Promise<void> {
    const guards = [
      ...accountKeys(user).map((key) => ({ policy: SIGN_IN, key })),
      { policy: REAUTHENTICATION, key: user.id },
    ];
    await Promise.all(guards.map(async ({ policy, key }) => (await this.#stub(policy, key)).clear()));
  }
}

/** What the guards of an account are found by: its id, and the keys stored for its username and email. */
export type AccountIdentity = Pick<UserRow, "id" | "email" | "usernameKey">;

/** The canonical keys an account can be signed in by, as stored (the username's key is unique to it). */
function accountKeys(user: AccountIdentity): string[] {
  return [user.usernameKey, user.email];
}
