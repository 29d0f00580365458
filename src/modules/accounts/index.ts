/** What the accounts module offers the rest of the app. */

export { requireAuth } from "./authenticate";
export { requireAdmin } from "./require-admin";
export type { SessionRow } from "./tables/sessions";
export type { UserRow } from "./tables/users";
export { users } from "./tables/users";
export type { AccessClaims } from "./tokens";
