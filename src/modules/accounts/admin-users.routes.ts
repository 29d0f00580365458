import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { PaginationQuerySchema, pageSchema } from "../../platform/http/pagination";
import { AdminUserSchema } from "./schemas";
import { ROLES } from "./tables/users";

const ListUsersQuerySchema = PaginationQuerySchema.extend({
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Part of the email or username" }),
  role: z.enum(ROLES).optional(),
});

const UpdateUserSchema = z
  .strictObject({ role: z.enum(ROLES).optional(), is_active: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.is_active !== undefined, {
    message: "Nothing to change: give role or is_active",
  })
  .openapi("AdminUpdateUserRequest");

const UserIdParams = z.object({
  id: z.string().min(1).max(64).openapi({ description: "The user's id", example: "usr_0k3j5x9q2m7b1v8c4n6z0a2s4d" }),
});

export const listUsers = defineRoute({
  operationId: "adminListUsers",
  tag: "Admin: users",
  access: "admin",
  method: "get",
  path: "/api/admin/users",
  summary: "List users, newest first",
  request: { query: ListUsersQuerySchema },
  responses: {
    200: jsonContent(pageSchema(AdminUserSchema), "A page of users"),
    422: problemContent("Invalid query"),
  },
});

export const getUser = defineRoute({
  operationId: "adminGetUser",
  tag: "Admin: users",
  access: "admin",
  method: "get",
  path: "/api/admin/users/{id}",
  summary: "One user",
  request: { params: UserIdParams },
  responses: { 200: jsonContent(AdminUserSchema, "The user"), 404: problemContent("No such user") },
});

export const updateUser = defineRoute({
  operationId: "adminUpdateUser",
  tag: "Admin: users",
  access: "admin",
  method: "patch",
  path: "/api/admin/users/{id}",
  summary: "Change a user's role or active flag",
  description: "Takes effect on the user's existing tokens at once. Admins cannot demote or deactivate themselves.",
  request: { params: UserIdParams, body: jsonBody(UpdateUserSchema) },
  responses: {
    200: jsonContent(AdminUserSchema, "The updated user"),
    404: problemContent("No such user"),
    409: problemContent("An admin cannot demote or deactivate themself"),
    422: problemContent("Invalid input"),
  },
});

export type ListUsersRoute = typeof listUsers;
export type GetUserRoute = typeof getUser;
export type UpdateUserRoute = typeof updateUser;
