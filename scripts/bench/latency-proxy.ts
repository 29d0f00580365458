/**
 * A TCP proxy that puts the database far away: every chunk waits RTT/2 on
 * its way in each direction, and every HTTP request passing through is
 * counted (one per request, however many share a keep-alive connection).
 *
 * Only data is delayed: a real distant primary would also charge a round trip
 * (more with TLS) for each new connection, which this does not simulate.
 */
import { once } from "node:events";
import { createConnection, createServer, type Socket } from "node:net";
import { RequestCounter } from "./request-counter.ts";

export interface LatencyProxy {
  url: string;
  /** HTTP requests seen since the proxy started. */
  readonly requests: number;
  setRoundTripMs(ms: number): void;
  /** Resolves once nothing has moved through the proxy for `quietMs`. */
  whenQuiet(quietMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: URL): Promise<LatencyProxy> {
  let roundTripMs = 0;
  let requests = 0;
  let lastActivity = performance.now();
  const sockets = new Set<Socket>();

  /** Copies `from` to `to` half a round trip late, keeping the order of chunks and of the end. */
  function forward(from: Socket, to: Socket, onChunk: (chunk: Buffer) => void): void {
    const later = (deliver: () => void) => {
      lastActivity = performance.now();
      const delay = roundTripMs / 2;
      if (delay === 0) deliver();
      else setTimeout(deliver, delay);
    };
    from.on("data", (chunk: Buffer) => {
      onChunk(chunk);
      later(() => {
        lastActivity = performance.now();
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on("end", () => later(() => to.end()));
  }

  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    const counter = new RequestCounter();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream, (chunk) => {
      requests += counter.feed(chunk);
    });
    forward(upstream, client, () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the latency proxy has no port");

  return {
    url: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests;
    },
    setRoundTripMs(ms) {
      roundTripMs = ms;
    },
    async whenQuiet(quietMs) {
      for (;;) {
        const quietFor = performance.now() - lastActivity;
        if (quietFor >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, quietMs - quietFor));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
