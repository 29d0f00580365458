import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { requireAuth } from "./authenticate";
import { passwordMatchesIdentity } from "./identity";
import {
  CurrentPasswordSchema,
  EmailSchema,
  FullNameSchema,
  NewPasswordSchema,
  UsernameSchema,
  UserSchema,
} from "./schemas";

const RegisterSchema = z
  .strictObject({
    email: EmailSchema,
    username: UsernameSchema,
    password: NewPasswordSchema,
    full_name: FullNameSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (passwordMatchesIdentity(body.password, body)) {
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "Password may not be the same as your email or username",
      });
    }
  })
  .openapi("RegisterRequest");

const OtpSchema = z.string().regex(/^\d{6}$/, "must be 6 digits");
const RecoveryCodeSchema = z.string().min(1).max(32);
const DeviceTokenSchema = z.string().max(128);

/** OAuth2 password grant (RFC 6749 §4.3); `username` may be the email or the username. */
const LoginSchema = z
  .object({
    grant_type: z.literal("password").optional().openapi({ description: "Must be `password` when present" }),
    username: z.string().min(1).max(254).openapi({ description: "Email or username" }),
    password: CurrentPasswordSchema,
    otp: OtpSchema.optional().openapi({ description: "Current TOTP code, when two-factor authentication is on" }),
    recovery_code: RecoveryCodeSchema.optional().openapi({ description: "A one-time recovery code, instead of `otp`" }),
    device_token: DeviceTokenSchema.optional().openapi({
      description:
        "The `device_token` of an earlier sign-in with this identifier on this client: failed sign-ins from elsewhere do not slow it down",
    }),
  })
  .openapi("LoginRequest");

const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    refresh_token: z.string(),
    device_token: z.string().optional().openapi({
      description:
        "Sign-in only: keep it on this client and send it with later sign-ins of the same identifier (see `LoginRequest`)",
    }),
    cart_merged: z
      .object({ lines: z.number().int().openapi({ description: "Lines of the guest cart now in the account's cart" }) })
      .optional()
      .openapi({
        description:
          "Sign-in only, when the request carried a valid `Cart-Token`: that guest cart was merged into the account's cart and deleted (its token no longer works)",
      }),
  })
  .openapi("TokenResponse");

const RefreshSchema = z.strictObject({ refresh_token: z.string().min(1).max(512) }).openapi("RefreshRequest");

const PasswordResetRequestSchema = z.strictObject({ email: EmailSchema }).openapi("PasswordResetRequest");
const PasswordResetConfirmSchema = z
  .strictObject({
    token: z.string().min(1).max(256),
    new_password: NewPasswordSchema,
    otp: OtpSchema.optional().openapi({ description: "Required when the account uses two-factor authentication" }),
    recovery_code: RecoveryCodeSchema.optional().openapi({ description: "Instead of `otp`" }),
  })
  .openapi("PasswordResetConfirm");
const VerifyEmailSchema = z.strictObject({ token: z.string().min(1).max(256) }).openapi("VerifyEmailRequest");
const AcceptedSchema = z.object({ status: z.literal("accepted"), detail: z.string() }).openapi("Accepted");

export const register = defineRoute({
  operationId: "registerAccount",
  location: "/api/users/me",
  tag: "Auth",
  access: "public",
  method: "post",
  path: "/api/auth/register",
  summary: "Create an account",
  middleware: [rateLimit({ limiter: (env) => env.REGISTER_LIMITER, action: "register" })] as const,
  request: { body: jsonBody(RegisterSchema) },
  responses: {
    201: jsonContent(UserSchema, "The new account (Location: /api/users/me)"),
    409: problemContent("The email or username cannot be used"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many attempts from this client"),
  },
});

export const login = defineRoute({
  operationId: "login",
  bodyRequired: true,
  tag: "Auth",
  access: "public",
  method: "post",
  path: "/api/auth/login",
  summary: "Sign in (OAuth2 password grant)",
  description:
    "Accepts `application/x-www-form-urlencoded` (OAuth2) or JSON. Wrong password, unknown user and deactivated account get the same 401. A valid `Cart-Token` header merges that guest cart into the account's cart (`cart_merged`); an invalid one is ignored.",
  middleware: [rateLimit({ limiter: (env) => env.LOGIN_LIMITER, action: "login" })] as const,
  request: {
    body: {
      content: {
        "application/x-www-form-urlencoded": { schema: LoginSchema },
        "application/json": { schema: LoginSchema },
      },
      // Optional for the validators only, since a required body would make the form validator reject JSON requests
      // and vice versa; the handler refuses a request that carries neither, and the document says so (bodyRequired).
      required: false,
      description: "A form or a JSON body.",
    },
  },
  responses: {
    200: jsonContent(TokenResponseSchema, "Tokens for a new session"),
    401: problemContent(
      "Invalid credentials (`invalid_credentials`); second factor needed (`mfa_required`) or wrong (`mfa_invalid`)",
    ),
    422: problemContent("Invalid input"),
    429: problemContent("Too many attempts (per client, or backoff for this account)"),
  },
});

export const refresh = defineRoute({
  operationId: "refreshToken",
  tag: "Auth",
  access: "public",
  method: "post",
  path: "/api/auth/refresh",
  summary: "Rotate the refresh token and get a new access token",
  description: "The refresh token is single-use. Presenting a spent one revokes its whole session.",
  middleware: [rateLimit({ limiter: (env) => env.REFRESH_LIMITER, action: "refresh" })] as const,
  request: { body: jsonBody(RefreshSchema) },
  responses: {
    200: jsonContent(TokenResponseSchema, "New tokens"),
    401: problemContent("Invalid, expired, revoked or reused refresh token"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many attempts from this client"),
  },
});

export const logout = defineRoute({
  operationId: "logout",
  tag: "Auth",
  access: "user",
  method: "post",
  path: "/api/auth/logout",
  summary: "Revoke the current session",
  middleware: [requireAuth()] as const,
  responses: {
    204: { description: "Signed out; the session's tokens stop working" },
  },
});

export const logoutAll = defineRoute({
  operationId: "logoutAll",
  tag: "Auth",
  access: "user",
  method: "post",
  path: "/api/auth/logout-all",
  summary: "Revoke every session of the current user",
  middleware: [requireAuth()] as const,
  responses: { 204: { description: "Every session revoked" } },
});

const resetLimiter = rateLimit({ limiter: (env) => env.PASSWORD_RESET_LIMITER, action: "password_reset" });
const verificationLimiter = rateLimit({ limiter: (env) => env.EMAIL_VERIFICATION_LIMITER, action: "verify_email" });

export const requestPasswordReset = defineRoute({
  operationId: "requestPasswordReset",
  tag: "Auth",
  access: "public",
  method: "post",
  path: "/api/auth/password-reset",
  summary: "Email a password reset link",
  description:
    "Always 202 with the same body, whether or not the address has an account; the work happens after the answer.",
  middleware: [resetLimiter] as const,
  request: { body: jsonBody(PasswordResetRequestSchema) },
  responses: {
    202: jsonContent(AcceptedSchema, "Accepted"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many requests from this client or for this address"),
  },
});

export const confirmPasswordReset = defineRoute({
  operationId: "confirmPasswordReset",
  tag: "Auth",
  access: "public",
  method: "post",
  path: "/api/auth/password-reset/confirm",
  summary: "Set a new password with a reset token",
  description:
    "Spends the token and revokes every session of the account. An account with two-factor authentication must also send `otp` or `recovery_code`: a reset link alone (a mailbox) is one factor.",
  middleware: [resetLimiter] as const,
  request: { body: jsonBody(PasswordResetConfirmSchema) },
  responses: {
    204: { description: "Password changed" },
    400: problemContent("Unknown, spent or expired token"),
    401: problemContent("Two-factor code needed (`mfa_required`) or wrong (`mfa_invalid`); the token is not spent"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many requests from this client, or backoff for this account's codes"),
  },
});

export const verifyEmail = defineRoute({
  operationId: "verifyEmail",
  tag: "Auth",
  access: "public",
  method: "post",
  path: "/api/auth/verify-email",
  summary: "Confirm an email address with the token from the verification email",
  middleware: [verificationLimiter] as const,
  request: { body: jsonBody(VerifyEmailSchema) },
  responses: {
    200: jsonContent(UserSchema, "The user, now verified"),
    400: problemContent("Unknown, spent or expired token, or the email changed since"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many requests from this client"),
  },
});

export const resendVerification = defineRoute({
  operationId: "resendVerification",
  tag: "Auth",
  access: "user",
  method: "post",
  path: "/api/auth/verify-email/resend",
  summary: "Send a new verification email",
  middleware: [requireAuth(), verificationLimiter] as const,
  responses: {
    202: jsonContent(AcceptedSchema, "Sent"),
    409: problemContent("Already verified"),
    429: problemContent("Too many requests from this client"),
  },
});

export type RequestPasswordResetRoute = typeof requestPasswordReset;
export type ConfirmPasswordResetRoute = typeof confirmPasswordReset;
export type VerifyEmailRoute = typeof verifyEmail;
export type ResendVerificationRoute = typeof resendVerification;
export type RegisterRoute = typeof register;
export type LoginRoute = typeof login;
export type RefreshRoute = typeof refresh;
export type LogoutRoute = typeof logout;
export type LogoutAllRoute = typeof logoutAll;
