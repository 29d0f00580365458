/**
 * `npm run db:server`: the local libSQL server on `.data/dev.db` (or
 * `--db :memory:`), on LIBSQL_PORT (default 8080).
 */
import { parseArgs } from "node:util";
import { startLibsqlServer } from "@edge-commerce/libsql-server";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
  },
});

const server = await startLibsqlServer({
  databasePath: values.db ?? process.env.LIBSQL_DB_PATH ?? ".data/dev.db",
  port: Number(values.port ?? process.env.LIBSQL_PORT ?? 8080),
  host: values.host ?? process.env.LIBSQL_HOST ?? "127.0.0.1",
  authToken: process.env.LIBSQL_AUTH_TOKEN || undefined,
});
console.log(`libSQL server listening on ${server.url} (database: ${server.databasePath})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0));
  });
}
