import { and, eq, or, type SQL } from "drizzle-orm";
import { containsText } from "../../platform/db/search";
import { newestFirst, paginate } from "../../platform/http/pagination";
import { ApiError } from "../../platform/http/problem";
import type { AppRouteHandler } from "../../platform/http/types";
import type { GetUserRoute, ListUsersRoute, UpdateUserRoute } from "./admin-users.routes";
import { normalizeEmail, usernameKey } from "./identity";
import { toAdminUser } from "./schemas";
import { revokeUserSessionsStatement } from "./sessions";
import { users } from "./tables/users";

const NEWEST_FIRST = newestFirst(users.createdAt, users.id);

export const listUsers: AppRouteHandler<ListUsersRoute> = async (c) => {
  const { limit, cursor, q, role } = c.req.valid("query");
  const conditions: (SQL | undefined)[] = [];
  if (q) {
    // The username's key, so a search finds look-alike spellings of a name too.
    conditions.push(or(containsText(users.email, normalizeEmail(q)), containsText(users.usernameKey, usernameKey(q))));
  }
  if (role) conditions.push(eq(users.role, role));
  conditions.push(NEWEST_FIRST.after(cursor));
  const rows = await c.var.db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(...NEWEST_FIRST.orderBy)
    .limit(limit + 1);
  const { page, nextCursor } = paginate(rows, limit, (user) => [user.createdAt, user.id]);
  return c.json({ data: page.map(toAdminUser), next_cursor: nextCursor }, 200);
};

export const getUser: AppRouteHandler<GetUserRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const [user] = await c.var.db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!user) throw new ApiError(404, "not_found", "No such user.");
  return c.json(toAdminUser(user), 200);
};

export const updateUser: AppRouteHandler<UpdateUserRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { db, audit, auth } = c.var;
  if (id === auth.user.id && (body.role === "user" || body.is_active === false)) {
    throw new ApiError(409, "cannot_modify_self", "An admin cannot demote or deactivate themself.");
  }
  const [before] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!before) throw new ApiError(404, "not_found", "No such user.");

  const changes = {
    ...(body.role !== undefined ? { role: body.role } : {}),
    ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
  };
  const [updated] = await db.batch([
    db
      .update(users)
      .set({ ...changes, updatedAt: new Date().toISOString() })
      .where(eq(users.id, id))
      .returning(),
    ...(body.is_active === false ? [revokeUserSessionsStatement(db, id, "deactivated_by_admin")] : []),
    audit.insert({
      action: "admin.user_updated",
      actorId: auth.user.id,
      targetType: "user",
      targetId: id,
      details: {
        ...(body.role !== undefined ? { role: { from: before.role, to: body.role } } : {}),
        ...(body.is_active !== undefined ? { is_active: { from: before.isActive, to: body.is_active } } : {}),
      },
    }),
  ]);
  const user = updated[0];
  if (!user) throw new ApiError(404, "not_found", "No such user.");
  return c.json(toAdminUser(user), 200);
};
