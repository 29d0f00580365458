import type { AppConfig } from "../../platform/config";
import type { Database } from "../../platform/db/client";
import { ApiError } from "../../platform/http/problem";
import type { Logger } from "../../platform/logger";
import type { AttemptGuards } from "./backoff";
import { verifyPassword } from "./password";
import type { UserRow } from "./tables/users";
import { proveSecondFactor, type SecondFactorCodes } from "./two-factor";

export interface ReauthenticationServices {
  db: Database;
  config: Pick<AppConfig, "argon2" | "totpEncryptionKey">;
  logger: Logger;
  attempts: AttemptGuards;
  clock: { now(): Date };
}

/** Who re-authenticates: a user already proved by a token (access or reset), from a client network. */
export interface Reauthentication {
  user: UserRow;
  client: string;
}

const reauthenticationBackoff = (seconds: number) =>
  new ApiError(429, "reauthentication_backoff", "Too many wrong passwords or codes. Try again later.", {
    headers: { "Retry-After": String(seconds) },
  });

/**
 * Sensitive account changes ask for the password again (ASVS 7.5.1), and any codes the change needs: each
 * request is one attempt on the user's re-authentication backoff (held to its schedule, 429 when it must wait),
 * and `prove` checks everything it needs, answering its result or the ApiError that says what is wrong.
 */
export async function reauthenticate<T>(
  services: ReauthenticationServices,
  who: Reauthentication,
  prove: () => Promise<T | ApiError>,
): Promise<T> {
  const { attempts, clock, logger } = services;
  const admission = await attempts.admitReauthentication(who.user, who.client, clock.now().getTime());
  if (!admission.admitted) {
    logger.warn("reauthentication_backoff", { user_id: who.user.id });
    throw reauthenticationBackoff(admission.retryAfterSeconds);
  }
  const outcome = await prove();
  if (outcome instanceof ApiError) {
    logger.info("reauthentication_failed", { user_id: who.user.id, code: outcome.code });
    throw outcome;
  }
  await attempts.reauthenticated(who.user, who.client);
  return outcome;
}

/** The password check of a re-authentication: 403 `invalid_current_password` when wrong. */
async function currentPasswordProblem(
  services: Pick<ReauthenticationServices, "config">,
  user: Pick<UserRow, "passwordHash">,
  password: string,
): Promise<ApiError | null> {
  const check = await verifyPassword(password, user.passwordHash, services.config.argon2);
  return check.valid ? null : new ApiError(403, "invalid_current_password", "The current password is incorrect.");
}

/** Re-authentication by the current password alone. */
export async function reauthenticateWithPassword(
  services: ReauthenticationServices,
  who: Reauthentication,
  password: string,
): Promise<void> {
  await reauthenticate(services, who, async () => (await currentPasswordProblem(services, who.user, password)) ?? true);
}

/**
 * Re-authentication by the current password and then a code, `checkCode` answering its result or the problem;
 * one attempt, whichever of the two is wrong.
 */
export function reauthenticateWithPasswordAnd<T>(
  services: ReauthenticationServices,
  who: Reauthentication,
  password: string,
  checkCode: () => Promise<T | ApiError>,
): Promise<T> {
  return reauthenticate(
    services,
    who,
    async () => (await currentPasswordProblem(services, who.user, password)) ?? checkCode(),
  );
}

/** A second factor proved in a re-authentication (the reset of an account with 2FA): `problem` when wrong. */
export async function secondFactorOrProblem(
  services: ReauthenticationServices,
  user: UserRow,
  codes: SecondFactorCodes,
  problem: () => ApiError,
): Promise<true | ApiError> {
  return (await proveSecondFactor(services.db, user, codes, services.config.totpEncryptionKey)) ? true : problem();
}
