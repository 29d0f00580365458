/**
 * The rules for what users type: email, username and password. One module,
 * used by the API schemas and the create-admin command alike.
 */
// One lower-cased password a line, written by scripts/generate-common-passwords.ts;
// a Text module (wrangler.toml [[rules]]), so it arrives as a string.
import COMMON_PASSWORDS from "./common-passwords.txt";

const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 128;
export const USERNAME_PATTERN = /^[\p{L}\p{N}]{3,32}$/u;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** NFKC folds compatibility forms (full-width letters, ligatures) so look-alike usernames collide. */
export function normalizeUsername(username: string): string {
  return username.trim().normalize("NFKC");
}

export function usernameKey(username: string): string {
  return normalizeUsername(username).toLowerCase();
}

let commonPasswords: Set<string> | undefined;

function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(COMMON_PASSWORDS.split("\n").filter((line) => line !== ""));
  return commonPasswords.has(password.toLowerCase());
}

/**
 * Why a password is refused, or null. Length counts characters (code points);
 * nothing is trimmed, truncated or case-folded, and there are no composition
 * rules (ASVS 6.2).
 */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (isCommonPassword(password)) return "is too common; choose one that is not on lists of breached passwords";
  return null;
}

/** A password equal to the account's own email or username is the first thing an attacker tries. */
export function passwordMatchesIdentity(password: string, identity: { email?: string; username?: string }): boolean {
  const lowered = password.toLowerCase();
  return [identity.email, identity.username].some((word) => word !== undefined && lowered === word.toLowerCase());
}
