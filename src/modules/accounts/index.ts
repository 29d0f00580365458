/** What the accounts module offers the rest of the app. */
export type { SessionRow } from "./tables/sessions";
export type { UserRow } from "./tables/users";
export { users } from "./tables/users";
export type { AccessClaims } from "./tokens";
