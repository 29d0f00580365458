import type { Context } from "hono";
import { ApiError } from "../../platform/http/problem";
import type { AppBindings } from "../../platform/http/types";
import { verifyPassword } from "./password";

/** Sensitive account changes ask for the password again (ASVS 7.5.1): 403 when it is wrong. */
export async function assertCurrentPassword(c: Context<AppBindings>, password: string): Promise<void> {
  const { user } = c.var.auth;
  const check = await verifyPassword(password, user.passwordHash, c.var.config.argon2);
  if (!check.valid) {
    c.var.logger.info("current_password_rejected", { user_id: user.id });
    throw new ApiError(403, "invalid_current_password", "The current password is incorrect.");
  }
}
