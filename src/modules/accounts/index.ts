/** What the accounts module offers the rest of the app. */

export { AttemptGuard } from "./attempt-guard";
export { requireAuth } from "./authenticate";
export { AttemptGuards } from "./backoff";
export { adminWrite, requireAdmin } from "./require-admin";
export type { SessionGate } from "./session-gate";
