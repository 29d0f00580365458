/**
 * Every drizzle table, for `npm run db:generate` (which turns changes into SQL
 * migrations in `migrations/`) and for tests. Each module keeps its own tables.
 */
export * from "./modules/accounts/tables/account-tokens";
export * from "./modules/accounts/tables/recovery-codes";
export * from "./modules/accounts/tables/sessions";
export * from "./modules/accounts/tables/users";
export * from "./modules/cart/tables";
export * from "./modules/catalog/tables";
export * from "./modules/discounts/tables";
export * from "./modules/inventory/tables";
export * from "./modules/orders/tables";
export * from "./modules/payments/tables";
export * from "./modules/shipping/tables";
export * from "./modules/tax/tables";
export * from "./platform/audit/tables";
export * from "./platform/http/idempotency-keys";
export * from "./platform/mail/tables";
