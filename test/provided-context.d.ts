declare module "vitest" {
  interface ProvidedContext {
    /** The libSQL server started by the global setup, migrated, with a fresh database. */
    databaseUrl: string;
    /** A URL where a libSQL server was started and then stopped: nothing listens there. */
    unreachableDatabaseUrl: string;
  }
}

export {};
