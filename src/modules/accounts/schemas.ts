/**
 * User-facing schemas, defined once: they validate requests and describe the
 * API in the OpenAPI document.
 */
import { z } from "@hono/zod-openapi";
import { normalizeEmail, normalizeUsername, passwordProblem, USERNAME_PATTERN } from "./identity";
import { ROLES, type UserRow } from "./tables/users";

export const EmailSchema = z
  .string()
  .max(254)
  .transform(normalizeEmail)
  .pipe(z.email("must be a valid email address"))
  .openapi({ type: "string", format: "email", example: "ada@example.com" });

export const UsernameSchema = z
  .string()
  .max(64)
  .transform(normalizeUsername)
  .pipe(z.string().regex(USERNAME_PATTERN, "must be 3 to 32 letters or digits"))
  .openapi({
    type: "string",
    example: "ada1815",
    description: "3–32 letters or digits (any script); unique, case-insensitively",
  });

/** A password being set: 8–128 characters, not on the common-password list. */
export const NewPasswordSchema = z
  .string()
  .superRefine((password, ctx) => {
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue({ code: "custom", message: `Password ${problem}` });
  })
  .openapi({ type: "string", format: "password", minLength: 8, maxLength: 128 });

/** A password being checked: never validated beyond a sane size, so the answer reveals nothing about the rules. */
export const CurrentPasswordSchema = z.string().min(1).max(1024).openapi({ type: "string", format: "password" });

export const FullNameSchema = z.string().trim().min(1).max(100);

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "usr_0k3j5x9q2m7b1v8c4n6z0a2s4d" }),
    email: z.string(),
    username: z.string(),
    full_name: z.string().nullable(),
    role: z.enum(ROLES),
    is_active: z.boolean(),
    email_verified: z.boolean(),
    two_factor_enabled: z.boolean(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("User");
export type PublicUser = z.infer<typeof UserSchema>;

export const AdminUserSchema = UserSchema.extend({
  deleted_at: z.string().nullable().openapi({ format: "date-time" }),
}).openapi("AdminUser");

export function toPublicUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    full_name: user.fullName,
    role: user.role,
    is_active: user.isActive,
    email_verified: user.emailVerifiedAt !== null,
    two_factor_enabled: user.totpEnabledAt !== null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export function toAdminUser(user: UserRow): z.infer<typeof AdminUserSchema> {
  return { ...toPublicUser(user), deleted_at: user.deletedAt };
}
