/**
 * The drizzle schema. `npm run db:generate` turns changes here into SQL
 * migrations in `migrations/`; each feature keeps its tables in its own module.
 */
export * from "./schema/account-tokens";
export * from "./schema/audit";
export * from "./schema/catalog";
export * from "./schema/dev-outbox";
export * from "./schema/login-throttles";
export * from "./schema/orders";
export * from "./schema/payments";
export * from "./schema/recovery-codes";
export * from "./schema/sessions";
export * from "./schema/users";
