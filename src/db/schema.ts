/**
 * The drizzle schema. `npm run db:generate` turns changes here into SQL
 * migrations in `migrations/`; each feature adds its tables in its own module
 * and re-exports it here.
 */
export {};
