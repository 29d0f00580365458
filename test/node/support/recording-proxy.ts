import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedExchange } from "./openapi-conformance.ts";

/** Request headers that belong to the client's connection to the proxy, not to the request. */
const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length"]);

export interface RecordingProxy {
  readonly url: string;
  readonly exchanges: readonly RecordedExchange[];
  close(): Promise<void>;
}

/** What the proxy needs of a fetch: wrangler's harness brings its own undici, whose types differ from Node's. */
interface ForwardedResponse {
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}

type Forward = (
  url: string,
  init: { method: string; headers: [string, string][]; body?: Uint8Array; redirect: "manual" },
) => Promise<ForwardedResponse>;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * An HTTP server on a free local port that hands every request to `forward` (the Worker under test) and records
 * each exchange as the client saw it.
 */
export async function startRecordingProxy(target: URL, forward: Forward): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const server: Server = createServer((request, reply) => {
    void (async () => {
      const method = request.method ?? "GET";
      const target_ = request.url ?? "/";
      const headers: [string, string][] = [];
      for (const [name, value] of Object.entries(request.headers)) {
        if (HOP_BY_HOP.has(name) || value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.push([name, item]);
      }
      const body = await readBody(request);
      const response = await forward(new URL(target_, target).href, {
        method,
        headers,
        ...(body.length > 0 ? { body } : {}),
        redirect: "manual",
      });
      const responseBody = Buffer.from(await response.arrayBuffer());
      const responseHeaders: Record<string, string> = {};
      // The body has been read (and decoded, if it was encoded): its framing is this proxy's to set.
      response.headers.forEach((value, name) => {
        if (name !== "content-encoding" && name !== "content-length" && name !== "transfer-encoding") {
          responseHeaders[name] = value;
        }
      });
      exchanges.push({
        method,
        target: target_,
        status: response.status,
        headers: responseHeaders,
        body: responseBody.toString("utf8"),
      });
      reply.writeHead(response.status, responseHeaders);
      reply.end(responseBody);
    })().catch((error: unknown) => {
      reply.writeHead(502, { "content-type": "text/plain" });
      reply.end(`recording proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
