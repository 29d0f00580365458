import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { CurrentPasswordSchema } from "./schemas";

const CodeSchema = z.string().min(6).max(32).openapi({ description: "A current TOTP code, or a recovery code" });

const EnableTwoFactorSchema = z
  .strictObject({ current_password: CurrentPasswordSchema, code: z.string().regex(/^\d{6}$/, "must be 6 digits") })
  .openapi("EnableTwoFactorRequest");
const ConfirmWithCodeSchema = z
  .strictObject({ current_password: CurrentPasswordSchema, code: CodeSchema })
  .openapi("TwoFactorChallenge");

const SetupSchema = z
  .object({
    secret: z.string().openapi({ description: "Base32 secret, for manual entry" }),
    otpauth_uri: z.string().openapi({ description: "otpauth:// URI for a QR code" }),
  })
  .openapi("TwoFactorSetup");
const RecoveryCodesSchema = z
  .object({
    recovery_codes: z.array(z.string()).openapi({ description: "Shown once; each works once instead of a TOTP code" }),
  })
  .openapi("RecoveryCodes");

const mfaLimiter = rateLimit({ limiter: (env) => env.MFA_LIMITER, action: "mfa" });
const common = {
  429: problemContent("Too many attempts from this client, or backoff after wrong passwords and codes"),
};

export const setup = defineRoute({
  operationId: "setupTwoFactor",
  tag: "Two-factor authentication",
  access: "user",
  method: "post",
  path: "/api/users/me/2fa/setup",
  summary: "Start enrolment: a new TOTP secret, pending until confirmed",
  middleware: [mfaLimiter] as const,
  responses: { 200: jsonContent(SetupSchema, "The pending secret"), ...common, 409: problemContent("Already enabled") },
});

export const enable = defineRoute({
  operationId: "enableTwoFactor",
  tag: "Two-factor authentication",
  access: "user",
  method: "post",
  path: "/api/users/me/2fa/enable",
  summary: "Confirm enrolment with the current password and a code; returns 10 recovery codes",
  middleware: [mfaLimiter] as const,
  request: { body: jsonBody(EnableTwoFactorSchema) },
  responses: {
    200: jsonContent(RecoveryCodesSchema, "Enabled"),
    ...common,
    403: problemContent("Wrong password (`invalid_current_password`) or code (`invalid_code`)"),
    409: problemContent("Already enabled, or no pending setup"),
    422: problemContent("Invalid input"),
  },
});

export const disable = defineRoute({
  operationId: "disableTwoFactor",
  tag: "Two-factor authentication",
  access: "user",
  method: "post",
  path: "/api/users/me/2fa/disable",
  summary: "Turn two-factor authentication off",
  middleware: [mfaLimiter] as const,
  request: { body: jsonBody(ConfirmWithCodeSchema) },
  responses: {
    204: { description: "Disabled" },
    ...common,
    403: problemContent("Wrong password or code"),
    409: problemContent("Not enabled"),
    422: problemContent("Invalid input"),
  },
});

export const regenerateRecoveryCodes = defineRoute({
  operationId: "regenerateRecoveryCodes",
  tag: "Two-factor authentication",
  access: "user",
  method: "post",
  path: "/api/users/me/2fa/recovery-codes",
  summary: "Replace the recovery codes",
  middleware: [mfaLimiter] as const,
  request: { body: jsonBody(ConfirmWithCodeSchema) },
  responses: {
    200: jsonContent(RecoveryCodesSchema, "New codes; the old ones no longer work"),
    ...common,
    403: problemContent("Wrong password or code"),
    409: problemContent("Not enabled"),
    422: problemContent("Invalid input"),
  },
});

export type SetupRoute = typeof setup;
export type EnableRoute = typeof enable;
export type DisableRoute = typeof disable;
export type RegenerateRecoveryCodesRoute = typeof regenerateRecoveryCodes;
