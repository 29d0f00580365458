/**
 * The bench's libSQL server, in its own process so that the load the bench
 * generates does not share an event loop with the database. In memory, on a
 * free port, printed as `listening <url>`. It stops when its parent closes
 * its stdin, which also happens when the parent dies without cleaning up.
 */
import { startLibsqlServer } from "@edge-commerce/libsql-server";

const server = await startLibsqlServer({ databasePath: ":memory:", port: 0, host: "127.0.0.1" });
console.log(`listening ${server.url}`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}

process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stop);
