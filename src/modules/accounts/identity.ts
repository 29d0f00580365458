/**
 * The rules for what users type: email, username and password. One module,
 * used by the API schemas and the create-admin command alike.
 */
import COMMON_PASSWORDS from "./common-passwords.txt";
import CONFUSABLES_TEXT from "./confusables.txt";

// Both are data written by scripts and loaded as Text modules (wrangler.toml [[rules]]), so they arrive as
// strings: one lower-cased password a line (scripts/generate-common-passwords.ts), and Unicode's
// confusables.txt 10.0.0 as `0430;0061`, a character a line (scripts/generate-confusables.ts).

const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 128;
export const USERNAME_PATTERN = /^[\p{L}\p{N}]{3,32}$/u;

/**
 * The one canonical form of an email: NFKC (a full-width `＠` or letter typed
 * on a phone becomes ASCII), trimmed, lower-cased. No confusable skeleton:
 * two addresses that look alike are two mailboxes, each proved by its own
 * verification link, and the schema accepts only ASCII addresses anyway.
 */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

/** A username as displayed: trimmed, NFKC (full-width letters and ligatures become their plain forms). */
export function normalizeUsername(username: string): string {
  return username.trim().normalize("NFKC");
}

let confusables: Map<string, string> | undefined;

function prototypeOf(char: string): string {
  confusables ??= new Map(
    CONFUSABLES_TEXT.split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [from = "", to = ""] = line.split(";");
        const codePoints = (hex: string) =>
          String.fromCodePoint(...hex.split(" ").map((point) => Number.parseInt(point, 16)));
        return [codePoints(from), codePoints(to)];
      }),
  );
  return confusables.get(char) ?? char;
}

/**
 * The confusable skeleton of Unicode TR 39 (section 4): NFD, each code point
 * replaced by its prototype from confusables.txt, NFD again. Latin `a`,
 * Cyrillic `а` and Greek `α` share a skeleton; so do `0` and `O`, `1` and `l`.
 */
function skeleton(text: string): string {
  const mapped = [...text.normalize("NFD")].map(prototypeOf).join("");
  return mapped.normalize("NFD");
}

/**
 * What makes two usernames the same name. The skeleton is not case-blind
 * (confusables.txt maps Cyrillic `В` to `B` but `в` to small-capital `ʙ`, and
 * `I` to `l`), so it is taken in both cases, starting from the upper-case form
 * so that case never matters: capital look-alikes (`В`, Greek `Κ`, `I`), then
 * small ones (Cyrillic `і`, `0`, `m` as `rn`), then capitals again (so `i`
 * meets `l`), lower-cased. `Victor`, `VICTOR`, `ｖictor` (full-width),
 * `Vіctor` (Cyrillic і), `V1ctor` and `Vict0r` are one name; so are `alice`
 * and `allce`, the price of `I` looking like `l`. Unique in the database, the
 * lookup key of sign-in, and the key of its backoff.
 */
export function usernameKey(username: string): string {
  const capitals = skeleton(normalizeUsername(username).toUpperCase());
  const small = skeleton(capitals.toLowerCase());
  return skeleton(small.toUpperCase()).toLowerCase();
}

export type SignInIdentifier = { kind: "email" | "username"; key: string };

/** What a sign-in typed, in the canonical form its account is found by: an email when it holds `@` (after NFKC). */
export function signInIdentifier(typed: string): SignInIdentifier {
  const text = typed.normalize("NFKC");
  // Both forms trim.
  return text.includes("@")
    ? { kind: "email", key: normalizeEmail(text) }
    : { kind: "username", key: usernameKey(text) };
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
