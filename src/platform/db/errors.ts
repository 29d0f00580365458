/**
 * Whether `error`, or one it wraps (drizzle wraps the libSQL client's errors, which wrap the transport's), passes
 * `test`: how every classification of a database failure looks past the wrapping.
 */
export function inCauseChain(error: unknown, test: (error: Error) => boolean): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (test(current)) return true;
  }
  return false;
}

/**
 * True when the error (or one it wraps: drizzle wraps the driver's) is a UNIQUE or PRIMARY KEY violation.
 *
 * Over Hrana (sqld, Turso, and the local server in tools/libsql-server) the error carries only the
 * primary code `SQLITE_CONSTRAINT`, for every kind of constraint, and `extendedCode` is undefined:
 * SQLite's message ("UNIQUE constraint failed: …", also for a PRIMARY KEY) is what tells them apart.
 * @libsql/client's embedded driver sets `extendedCode` (e.g. SQLITE_CONSTRAINT_UNIQUE), and the `libsql`
 * engine itself reports the extended code as `code`.
 */
export function isUniqueViolation(error: unknown): boolean {
  return inCauseChain(error, (current) => {
    const { code, extendedCode } = current as { code?: unknown; extendedCode?: unknown };
    const extended = [extendedCode, code].some(
      (candidate) => candidate === "SQLITE_CONSTRAINT_UNIQUE" || candidate === "SQLITE_CONSTRAINT_PRIMARYKEY",
    );
    return extended || (typeof current.message === "string" && /UNIQUE constraint failed/.test(current.message));
  });
}

/** True when the error is a trigger's `RAISE(ABORT, '<reason>')` with this reason (the message carries it). */
export function isRaisedBy(error: unknown, reason: string): boolean {
  return inCauseChain(error, (current) => typeof current.message === "string" && current.message.includes(reason));
}

/**
 * Awaits a write, turning a refusal the database made inside it (a constraint, a trigger's RAISE) into the error
 * `translate` gives for it (at once or once it has read what it needs); anything `translate` does not know goes on
 * as it was.
 */
export async function translateRefusal<T>(
  write: Promise<T>,
  translate: (error: unknown) => Error | undefined | Promise<Error | undefined>,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw (await translate(error)) ?? error;
  }
}
