import type { AppConfig } from "../../platform/config";
import type { Database } from "../../platform/db/client";
import type { Mailer } from "../../platform/mail/mailer";
import { emailVerificationEmail } from "./account-emails";
import { issueAccountToken } from "./account-tokens";
import type { UserRow } from "./tables/users";

const HOUR_MS = 60 * 60 * 1000;

/** Issues a verification token for the user's current email (superseding earlier ones) and mails the link. */
export async function sendEmailVerification(
  services: {
    db: Database;
    mailer: Mailer;
    config: Pick<AppConfig, "emailVerificationTtlHours" | "publicAppUrl">;
  },
  user: Pick<UserRow, "id" | "email">,
): Promise<void> {
  const { db, config, mailer } = services;
  const { token, statements } = await issueAccountToken(db, {
    userId: user.id,
    purpose: "email_verification",
    email: user.email,
    ttlMs: config.emailVerificationTtlHours * HOUR_MS,
  });
  await db.batch(statements);
  // The token travels in the fragment: browsers never send it to servers or in Referer headers.
  const link = `${config.publicAppUrl}/verify-email#token=${token}`;
  await mailer.send(emailVerificationEmail(user.email, link, config.emailVerificationTtlHours));
}
