import { rateLimit } from "../../platform/http/middleware/rate-limit";
import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import {
  CurrentPasswordSchema,
  EmailSchema,
  FullNameSchema,
  NewPasswordSchema,
  UsernameSchema,
  UserSchema,
} from "./schemas";

const UpdateMeSchema = z
  .strictObject({
    full_name: FullNameSchema.nullable().optional(),
    username: UsernameSchema.optional(),
    email: EmailSchema.optional(),
    current_password: CurrentPasswordSchema.optional().openapi({ description: "Required to change the email" }),
  })
  .refine((body) => body.full_name !== undefined || body.username !== undefined || body.email !== undefined, {
    message: "Nothing to change: give full_name, username or email",
  })
  .refine((body) => body.email === undefined || body.current_password !== undefined, {
    path: ["current_password"],
    message: "Changing the email requires current_password",
  })
  .openapi("UpdateMeRequest");

const ChangePasswordSchema = z
  .strictObject({ current_password: CurrentPasswordSchema, new_password: NewPasswordSchema })
  .openapi("ChangePasswordRequest");

const DeleteAccountSchema = z.strictObject({ current_password: CurrentPasswordSchema }).openapi("DeleteAccountRequest");

const SessionSchema = z
  .object({
    id: z.string(),
    created_at: z.string().openapi({ format: "date-time" }),
    last_used_at: z.string().openapi({ format: "date-time" }),
    expires_at: z.string().openapi({ format: "date-time" }),
    user_agent: z.string().nullable(),
    client_network: z
      .string()
      .nullable()
      .openapi({ description: "The network signed in from (/24 or /48), never the full address" }),
    current: z.boolean(),
  })
  .openapi("Session");

const SessionIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The session's id, from GET /api/users/me/sessions" }),
});

export const getMe = defineRoute({
  operationId: "getMe",
  tag: "Account",
  access: "user",
  method: "get",
  path: "/api/users/me",
  summary: "The signed-in user",
  responses: { 200: jsonContent(UserSchema, "The user") },
});

export const updateMe = defineRoute({
  operationId: "updateMe",
  tag: "Account",
  access: "user",
  method: "patch",
  path: "/api/users/me",
  summary: "Change name, username or email",
  description:
    "Limited per client like registration (a 409 tells whether a name is taken). A new email is unverified until its link is followed; the old address is told of the change, and outstanding reset and verification links stop working.",
  // The same budget size as registration, which answers the same question; its own key prefix.
  middleware: [rateLimit({ limiter: (env) => env.REGISTER_LIMITER, action: "profile_update" })] as const,
  request: { body: jsonBody(UpdateMeSchema) },
  responses: {
    200: jsonContent(UserSchema, "The updated user"),
    403: problemContent("The current password is wrong"),
    409: problemContent("The email or username cannot be used"),
    422: problemContent("Invalid input"),
    429: problemContent("Too many changes from this client, or backoff after wrong passwords"),
  },
});

export const changePassword = defineRoute({
  operationId: "changePassword",
  tag: "Account",
  access: "user",
  method: "post",
  path: "/api/users/me/password",
  summary: "Change the password; signs out every other session",
  request: { body: jsonBody(ChangePasswordSchema) },
  responses: {
    204: { description: "Password changed" },
    403: problemContent("The current password is wrong"),
    422: problemContent("Invalid input"),
    429: problemContent("Backoff after wrong passwords (counted with sign-in)"),
  },
});

export const deleteMe = defineRoute({
  operationId: "deleteMe",
  tag: "Account",
  access: "user",
  method: "delete",
  path: "/api/users/me",
  summary: "Delete the account",
  description:
    "Soft delete: the account is deactivated, its sessions revoked and its email, username and name removed; orders keep their history.",
  request: { body: jsonBody(DeleteAccountSchema) },
  responses: {
    204: { description: "Account deleted" },
    403: problemContent("The current password is wrong"),
    422: problemContent("Invalid input"),
    429: problemContent("Backoff after wrong passwords (counted with sign-in)"),
  },
});

export const listSessions = defineRoute({
  operationId: "listSessions",
  tag: "Account",
  access: "user",
  method: "get",
  path: "/api/users/me/sessions",
  summary: "Active sessions of the signed-in user",
  responses: { 200: jsonContent(z.object({ data: z.array(SessionSchema) }), "Active sessions") },
});

export const revokeSession = defineRoute({
  operationId: "revokeSession",
  tag: "Account",
  access: "user",
  method: "delete",
  path: "/api/users/me/sessions/{id}",
  summary: "Revoke one of the user's sessions",
  request: { params: SessionIdParams },
  responses: { 204: { description: "Revoked" }, 404: problemContent("No such session of yours") },
});

export type GetMeRoute = typeof getMe;
export type UpdateMeRoute = typeof updateMe;
export type ChangePasswordRoute = typeof changePassword;
export type DeleteMeRoute = typeof deleteMe;
export type ListSessionsRoute = typeof listSessions;
export type RevokeSessionRoute = typeof revokeSession;
