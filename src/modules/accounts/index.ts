/** What the accounts module offers the rest of the app. */

export { requireAuth } from "./authenticate";
export { AttemptGuards } from "./backoff";
export type { AuthContext } from "./context";
export { adminWrite, requireAdmin } from "./require-admin";
export type { SessionGate } from "./session-gate";
export type { SignInExtension } from "./sign-in-hook";
/** For the address of an order whose own address was not stored (orders from before it was). */
export { users } from "./tables/users";
