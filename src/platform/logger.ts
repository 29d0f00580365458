/**
 * Structured JSON logs. Every entry goes through `mask`, the one function that
 * keeps secrets, tokens and personal data out of logs and audit records.
 */

const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|authori[sz]ation|cookie|card|cvc|cvv|api[-_]?key|otp|recovery[-_]?code|hash|signature/i;
/** An address anywhere in a text ("reply to ada@example.com"), not only a whole value. */
const EMAIL = /([^@\s<>()[\],;:"']{1,64})@([^@\s<>()[\],;:"']+)/g;
const JWT_LIKE = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const MAX_DEPTH = 6;

export const REDACTED = "[REDACTED]";

function maskString(value: string): string {
  return value
    .replace(JWT_LIKE, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(EMAIL, (_address, local: string, domain: string) => `${local.slice(0, 1)}***@${domain}`);
}

/** A copy of `value` with secret-named keys redacted, emails partly hidden and tokens in text removed. */
export function mask(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) return value.map((item) => mask(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: maskString(value.message) };
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : mask(item, depth + 1);
  }
  return result;
}

type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(context: Record<string, unknown> = {}): Logger {
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    const entry = mask({ level, event, at: new Date().toISOString(), ...context, ...fields });
    const line = JSON.stringify(entry);
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
    child: (fields) => createLogger({ ...context, ...fields }),
  };
}
