/** What the accounts module offers the rest of the app. */
export { requireAuth } from "./authenticate";
export { requireAdmin } from "./require-admin";
export type { UserRow } from "./tables/users";
