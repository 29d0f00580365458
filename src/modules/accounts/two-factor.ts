/**
 * Second factor: TOTP codes (each accepted once) and one-time recovery codes.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { randomBytes, sha256Hex } from "../../platform/encoding";
import { open } from "./secret-box";
import { recoveryCodes } from "./tables/recovery-codes";
import { type UserRow, users } from "./tables/users";
import { base32Encode, matchingStep } from "./totp";

const RECOVERY_CODE_COUNT = 10;

/** The authenticated data a user's TOTP secret is sealed with. */
export function totpSecretOwner(userId: string): string {
  return `totp:${userId}`;
}

/**
 * True when `code` is valid now for the user's enabled secret and its time
 * step is later than the last one accepted. The conditional write makes a
 * code good once, even when it arrives twice at the same moment.
 */
async function acceptTotp(db: Database, user: UserRow, code: string, key: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (!user.totpSecret) return false;
  const secret = await open(user.totpSecret, key, totpSecretOwner(user.id));
  const step = await matchingStep(secret, code);
  if (step === null) return false;
  const claimed = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))));
  return claimed.rowsAffected === 1;
}

function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, "");
}

/** Ten codes of 80 random bits each, shown as XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    base32Encode(randomBytes(10)).match(/.{4}/g)?.join("-"),
  ).filter((code): code is string => code !== undefined);
}

/** Statements replacing the user's recovery codes with `codes` (stored as SHA-256 only). */
export async function replaceRecoveryCodes(db: Database, userId: string, codes: string[]) {
  const at = new Date().toISOString();
  const rows = await Promise.all(
    codes.map(async (code) => ({ codeHash: await sha256Hex(normalizeRecoveryCode(code)), userId, createdAt: at })),
  );
  return [
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.insert(recoveryCodes).values(rows),
  ] as const;
}

/** Spends one unused recovery code of the user; true when it was one. */
async function spendRecoveryCode(db: Database, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 16) return false;
  const spent = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date().toISOString() })
    .where(
      and(
        eq(recoveryCodes.codeHash, await sha256Hex(normalized)),
        eq(recoveryCodes.userId, userId),
        isNull(recoveryCodes.usedAt),
      ),
    );
  return spent.rowsAffected === 1;
}

/** A second factor offered with a request: a TOTP code or, instead, a recovery code. */
export interface SecondFactorCodes {
  otp?: string;
  recovery_code?: string;
}

/**
 * Which second factor the codes prove: `otp` (the code is now used) or `recovery_code` (now spent), or null
 * when neither is right. A TOTP code, when given, is the only one tried.
 */
export async function proveSecondFactor(
  db: Database,
  user: UserRow,
  codes: SecondFactorCodes,
  key: Uint8Array<ArrayBuffer>,
): Promise<"otp" | "recovery_code" | null> {
  if (codes.otp) return (await acceptTotp(db, user, codes.otp, key)) ? "otp" : null;
  if (codes.recovery_code && (await spendRecoveryCode(db, user.id, codes.recovery_code))) return "recovery_code";
  return null;
}
