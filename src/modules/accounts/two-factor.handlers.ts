import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { ApiError } from "../../platform/http/problem";
import type { AppBindings, AppRouteHandler } from "../../platform/http/types";
import { reauthenticateWithPasswordAnd, secondFactorOrProblem } from "./current-password";
import { open, seal } from "./secret-box";
import { recoveryCodes } from "./tables/recovery-codes";
import { users } from "./tables/users";
import { base32Encode, matchingStep, newTotpSecret, otpauthUri } from "./totp";
import { newRecoveryCodes, replaceRecoveryCodes, totpSecretOwner } from "./two-factor";
import type { DisableRoute, EnableRoute, RegenerateRecoveryCodesRoute, SetupRoute } from "./two-factor.routes";

const ISSUER = "Edge Commerce";

const invalidCode = () => new ApiError(403, "invalid_code", "The code is incorrect or was already used.");
const notEnabled = () => new ApiError(409, "two_factor_not_enabled", "Two-factor authentication is not enabled.");
const alreadyEnabled = () => new ApiError(409, "two_factor_enabled", "Two-factor authentication is already enabled.");

/**
 * Password and a second-factor code (TOTP, or a recovery code, which is spent): what changing 2FA requires. One
 * attempt on the user's re-authentication backoff, whichever of the two is wrong.
 */
async function assertBothFactors(c: Context<AppBindings>, currentPassword: string, code: string): Promise<void> {
  const { auth } = c.var;
  const codes = /^\d{6}$/.test(code) ? { otp: code } : { recovery_code: code };
  await reauthenticateWithPasswordAnd(c.var, { user: auth.user, client: c.var.clientKey }, currentPassword, () =>
    secondFactorOrProblem(c.var, auth.user, codes, invalidCode),
  );
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
  const { code, current_password } = c.req.valid("json");
  const { db, audit, auth, config } = c.var;
  if (auth.user.totpEnabledAt) throw alreadyEnabled();
  const pendingSecret = auth.user.totpPendingSecret;
  if (!pendingSecret) throw new ApiError(409, "two_factor_setup_required", "Start with POST /api/users/me/2fa/setup.");
  // The password too: with an access token alone, turning 2FA on would lock the owner out of their account.
  const step = await reauthenticateWithPasswordAnd(
    c.var,
    { user: auth.user, client: c.var.clientKey },
    current_password,
    async () => {
      const secret = await open(pendingSecret, config.totpEncryptionKey, totpSecretOwner(auth.user.id));
      return (await matchingStep(secret, code)) ?? invalidCode();
    },
  );

  const codes = newRecoveryCodes();
  const now = new Date().toISOString();
  await db.batch([
    db
      .update(users)
      .set({
        totpSecret: pendingSecret,
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
