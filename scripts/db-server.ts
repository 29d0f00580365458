/**
 * `npm run db:server`: the local libSQL server on `.data/dev.db` (or
 * `--db :memory:`), on LIBSQL_PORT (default 8080). Its limits under load take
 * sqld's flag and environment names: `--max-concurrent-connections`
 * (SQLD_MAX_CONCURRENT_CONNECTIONS), `--max-concurrent-requests`
 * (SQLD_MAX_CONCURRENT_REQUESTS), `--connection-creation-timeout-sec`
 * (SQLD_CONNECTION_CREATION_TIMEOUT_SEC), and `--txn-timeout-s`
 * (sqld's per-database `txn_timeout_s`), with sqld's defaults.
 */
import { parseArgs } from "node:util";
import { startLibsqlServer } from "@edge-commerce/libsql-server";
import { CommandFailure, failWith } from "./cli/command.ts";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    "max-concurrent-connections": { type: "string" },
    "max-concurrent-requests": { type: "string" },
    "connection-creation-timeout-sec": { type: "string" },
    "txn-timeout-s": { type: "string" },
  },
});

function positiveNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new CommandFailure(`${name} must be a positive number, got "${text}"`);
  return value;
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);

const port = Number(values.port ?? process.env.LIBSQL_PORT ?? 8080);
// Options are read inside the chain, so that an invalid one ends the script as a port in use does: one line.
const server = await Promise.resolve()
  .then(() =>
    startLibsqlServer({
      databasePath: values.db ?? process.env.LIBSQL_DB_PATH ?? ".data/dev.db",
      port,
      host: values.host ?? process.env.LIBSQL_HOST ?? "127.0.0.1",
      authToken: process.env.LIBSQL_AUTH_TOKEN || undefined,
      maxConcurrentConnections: positiveNumber(
        "--max-concurrent-connections",
        values["max-concurrent-connections"] ?? process.env.SQLD_MAX_CONCURRENT_CONNECTIONS,
      ),
      maxConcurrentRequests: positiveNumber(
        "--max-concurrent-requests",
        values["max-concurrent-requests"] ?? process.env.SQLD_MAX_CONCURRENT_REQUESTS,
      ),
      connectionCreationTimeoutMs: seconds(
        positiveNumber(
          "--connection-creation-timeout-sec",
          values["connection-creation-timeout-sec"] ?? process.env.SQLD_CONNECTION_CREATION_TIMEOUT_SEC,
        ),
      ),
      transactionTimeoutMs: seconds(positiveNumber("--txn-timeout-s", values["txn-timeout-s"])),
    }),
  )
  .catch((error: unknown) => failWith("db:server", error, { ports: { [port]: "LIBSQL_PORT (or --port)" } }));
console.log(`libSQL server listening on ${server.url} (database: ${server.databasePath})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0));
  });
}
