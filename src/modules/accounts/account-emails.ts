import type { EmailMessage } from "../../platform/mail/mailer";

const PRODUCT = "Edge Commerce";

export function passwordResetEmail(to: string, link: string, ttlMinutes: number): EmailMessage {
  return {
    to,
    subject: `Reset your ${PRODUCT} password`,
    text: [
      "Someone (hopefully you) asked to reset the password of your account.",
      "",
      `Choose a new password here (the link works once, for ${ttlMinutes} minutes):`,
      link,
      "",
      "If it was not you, ignore this message: your password has not changed.",
    ].join("\n"),
  };
}

export function emailVerificationEmail(to: string, link: string, ttlHours: number): EmailMessage {
  return {
    to,
    subject: `Confirm your ${PRODUCT} email address`,
    text: [
      `Confirm that this address belongs to you (the link works once, for ${ttlHours} hours):`,
      link,
      "",
      "If you did not create an account or change your email, ignore this message.",
    ].join("\n"),
  };
}

/** To the old address when the account's email changes: the owner learns of a change they did not make. */
export function emailChangedEmail(to: string, newAddress: string, appUrl: string): EmailMessage {
  const [local = "", domain = ""] = newAddress.split("@");
  const masked = `${local.slice(0, 1)}***@${domain}`;
  return {
    to,
    subject: `The email address of your ${PRODUCT} account was changed`,
    text: [
      `The email address of your account was changed from this address to ${masked}.`,
      "Password reset and verification links sent here before no longer work.",
      "",
      `If you did not make this change, your password may be known to someone else: contact us through ${appUrl}.`,
    ].join("\n"),
  };
}
