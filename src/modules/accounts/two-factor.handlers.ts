import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { ApiError } from "../../platform/http/problem";
import type { AppBindings, AppRouteHandler } from "../../platform/http/types";
import { assertCurrentPassword } from "./current-password";
import { open, seal } from "./secret-box";
import { recoveryCodes } from "./tables/recovery-codes";
import { users } from "./tables/users";
import { base32Encode, matchingStep, newTotpSecret, otpauthUri } from "./totp";
import { acceptTotp, newRecoveryCodes, replaceRecoveryCodes, spendRecoveryCode, totpSecretOwner } from "./two-factor";
import type { DisableRoute, EnableRoute, RegenerateRecoveryCodesRoute, SetupRoute } from "./two-factor.routes";

const ISSUER = "Edge Commerce";

const invalidCode = () => new ApiError(403, "invalid_code", "The code is incorrect or was already used.");
const notEnabled = () => new ApiError(409, "two_factor_not_enabled", "Two-factor authentication is not enabled.");
const alreadyEnabled = () => new ApiError(409, "two_factor_enabled", "Two-factor authentication is already enabled.");

/** Password and a second-factor code (TOTP, or a recovery code, which is spent): what changing 2FA requires. */
async function assertBothFactors(c: Context<AppBindings>, currentPassword: string, code: string): Promise<void> {
  const { db, auth, config } = c.var;
  await assertCurrentPassword(c.var, c.var.auth.user, currentPassword);
  const accepted = /^\d{6}$/.test(code)
    ? await acceptTotp(db, auth.user, code, config.totpEncryptionKey)
    : await spendRecoveryCode(db, auth.user.id, code);
  if (!accepted) throw invalidCode();
}

export const setup: AppRouteHandler<SetupRoute> = async (c) => {
  const { db, auth, config } = c.var;
  if (auth.user.totpEnabledAt) throw alreadyEnabled();
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ totpPendingSecret: await seal(secret, config.totpEncryptionKey, totpSecretOwner(auth.user.id)) })
    .where(eq(users.id, auth.user.id));
  return c.json({ secret: base32Encode(secret), otpauth_uri: otpauthUri(secret, auth.user.username, ISSUER) }, 200);
};

export const enable: AppRouteHandler<EnableRoute> = async (c) => {
  const { code } = c.req.valid("json");
  const { db, audit, auth, config } = c.var;
  if (auth.user.totpEnabledAt) throw alreadyEnabled();
  if (!auth.user.totpPendingSecret) {
    throw new ApiError(409, "two_factor_setup_required", "Start with POST /api/users/me/2fa/setup.");
  }
  const secret = await open(auth.user.totpPendingSecret, config.totpEncryptionKey, totpSecretOwner(auth.user.id));
  const step = await matchingStep(secret, code);
  if (step === null) throw invalidCode();

  const codes = newRecoveryCodes();
  const now = new Date().toISOString();
  await db.batch([
    db
      .update(users)
      .set({
        totpSecret: auth.user.totpPendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: now,
        totpLastStep: step,
        updatedAt: now,
      })
      .where(eq(users.id, auth.user.id)),
    ...(await replaceRecoveryCodes(db, auth.user.id, codes)),
    audit.insert({ action: "user.2fa_enabled", actorId: auth.user.id, targetType: "user", targetId: auth.user.id }),
  ]);
  return c.json({ recovery_codes: codes }, 200);
};

export const disable: AppRouteHandler<DisableRoute> = async (c) => {
  const { current_password, code } = c.req.valid("json");
  const { db, audit, auth } = c.var;
  if (!auth.user.totpEnabledAt) throw notEnabled();
  await assertBothFactors(c, current_password, code);
  const now = new Date().toISOString();
  await db.batch([
    db
      .update(users)
      .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now })
      .where(eq(users.id, auth.user.id)),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, auth.user.id)),
    audit.insert({ action: "user.2fa_disabled", actorId: auth.user.id, targetType: "user", targetId: auth.user.id }),
  ]);
  return c.body(null, 204);
};

export const regenerateRecoveryCodes: AppRouteHandler<RegenerateRecoveryCodesRoute> = async (c) => {
  const { current_password, code } = c.req.valid("json");
  const { db, audit, auth } = c.var;
  if (!auth.user.totpEnabledAt) throw notEnabled();
  await assertBothFactors(c, current_password, code);
  const codes = newRecoveryCodes();
  await db.batch([
    ...(await replaceRecoveryCodes(db, auth.user.id, codes)),
    audit.insert({
      action: "user.recovery_codes_regenerated",
      actorId: auth.user.id,
      targetType: "user",
      targetId: auth.user.id,
    }),
  ]);
  return c.json({ recovery_codes: codes }, 200);
};
