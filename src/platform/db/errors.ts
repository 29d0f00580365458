/** True when the error (or one it wraps: drizzle wraps the driver's) is a UNIQUE or PRIMARY KEY violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (typeof current.message === "string" && /UNIQUE constraint failed/.test(current.message)) return true;
  }
  return false;
}
