import { passwordMatchesIdentity } from "../../auth/identity";
import { createRoute, jsonBody, jsonContent, problemContent, z } from "../../lib/openapi";
import { requireAuth } from "../../middleware/authenticate";
import { rateLimit } from "../../middleware/rate-limit";
import {
  CurrentPasswordSchema,
  EmailSchema,
  FullNameSchema,
  NewPasswordSchema,
  UsernameSchema,
  UserSchema,
} from "../../schemas/users";

export const RegisterSchema = z
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

/** OAuth2 password grant (RFC 6749 §4.3); `username` may be the email or the username. */
export const LoginSchema = z
  .object({
    grant_type: z.literal("password").optional().openapi({ description: "Must be `password` when present" }),
    username: z.string().min(1).max(254).openapi({ description: "Email or username" }),
    password: CurrentPasswordSchema,
  })
  .openapi("LoginRequest");

export const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    refresh_token: z.string(),
  })
  .openapi("TokenResponse");

export const RefreshSchema = z.strictObject({ refresh_token: z.string().min(1).max(512) }).openapi("RefreshRequest");

const tags = ["Auth"];
const security = [{ bearerAuth: [] }];

export const register = createRoute({
  method: "post",
  path: "/api/auth/register",
  tags,
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

export const login = createRoute({
  method: "post",
  path: "/api/auth/login",
  tags,
  summary: "Sign in (OAuth2 password grant)",
  description:
    "Accepts `application/x-www-form-urlencoded` (OAuth2) or JSON. Wrong password, unknown user and deactivated account get the same 401.",
  middleware: [rateLimit({ limiter: (env) => env.LOGIN_LIMITER, action: "login" })] as const,
  request: {
    body: {
      content: {
        "application/x-www-form-urlencoded": { schema: LoginSchema },
        "application/json": { schema: LoginSchema },
      },
      // Declared optional only because a required body would make the form validator reject JSON requests and
      // vice versa; the handler refuses a request that carries neither.
      required: false,
      description: "Required: a form or a JSON body.",
    },
  },
  responses: {
    200: jsonContent(TokenResponseSchema, "Tokens for a new session"),
    401: problemContent("Invalid credentials"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many attempts (per client, or backoff for this account)"),
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/api/auth/refresh",
  tags,
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

export const logout = createRoute({
  method: "post",
  path: "/api/auth/logout",
  tags,
  security,
  summary: "Revoke the current session",
  middleware: [requireAuth()] as const,
  responses: {
    204: { description: "Signed out; the session's tokens stop working" },
    401: problemContent("Not signed in"),
  },
});

export const logoutAll = createRoute({
  method: "post",
  path: "/api/auth/logout-all",
  tags,
  security,
  summary: "Revoke every session of the current user",
  middleware: [requireAuth()] as const,
  responses: { 204: { description: "Every session revoked" }, 401: problemContent("Not signed in") },
});

export type RegisterRoute = typeof register;
export type LoginRoute = typeof login;
export type RefreshRoute = typeof refresh;
export type LogoutRoute = typeof logout;
export type LogoutAllRoute = typeof logoutAll;
