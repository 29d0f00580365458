import type { AppConfig } from "../../platform/config";
import { ApiError } from "../../platform/http/problem";
import type { Logger } from "../../platform/logger";
import { verifyPassword } from "./password";
import type { UserRow } from "./tables/users";

/** Sensitive account changes ask for the password again (ASVS 7.5.1): 403 when it is wrong. */
export async function assertCurrentPassword(
  services: { config: Pick<AppConfig, "argon2">; logger: Logger },
  user: Pick<UserRow, "id" | "passwordHash">,
  password: string,
): Promise<void> {
  const check = await verifyPassword(password, user.passwordHash, services.config.argon2);
  if (!check.valid) {
    services.logger.info("current_password_rejected", { user_id: user.id });
    throw new ApiError(403, "invalid_current_password", "The current password is incorrect.");
  }
}
