/**
 * A local libSQL server: the Hrana-over-HTTP protocol (v2 and v3, JSON) in
 * front of the real libSQL engine on a database file, so the Worker reaches
 * its local database exactly as it reaches Turso in production.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SqlConnection } from "./connection.ts";
import { runPipeline } from "./pipeline.ts";
import { HranaError, pipelineRequestSchema } from "./protocol.ts";
import { StreamManager, TooManyRequestsError } from "./streams.ts";
import { SQLD_BUSY_TIMEOUT_MS, SQLD_TRANSACTION_TIMEOUT_MS, WriteLock } from "./write-lock.ts";

/** sqld's `--max-concurrent-connections` and `--max-concurrent-requests` defaults (libsql-server/src/main.rs). */
export const SQLD_MAX_CONCURRENT_CONNECTIONS = 128;
export const SQLD_MAX_CONCURRENT_REQUESTS = 128;

export interface LibsqlServerOptions {
  /** A database file path, or ":memory:" for a throwaway database removed on close. */
  databasePath: string;
  port?: number;
  host?: string;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  streamIdleTimeoutMs?: number;
  /**
   * How long a transaction keeps the write lock once another writer waits for
   * it; past it, the waiter rolls it back and takes the lock, and the
   * transaction's next request fails with TRANSACTION_TIMEOUT. Default 5000,
   * sqld's `TXN_TIMEOUT`.
   */
  transactionTimeoutMs?: number;
  /**
   * How long a statement waits for a write lock held outside this server's
   * transactions (another process on the file) before SQLITE_BUSY. Default
   * 100, sqld's SQLite busy timeout.
   */
  busyTimeoutMs?: number;
  /** How many streams may be open at once; further ones wait. Default 128, sqld's. */
  maxConcurrentConnections?: number;
  /**
   * How many requests may wait for a stream at once, counting the arriving
   * one; the one that reaches the limit gets HTTP 429. Default 128, sqld's.
   */
  maxConcurrentRequests?: number;
  /** How long a request waits for a stream before HTTP 429; by default, as long as it takes (as sqld). */
  connectionCreationTimeoutMs?: number;
  maxBodyBytes?: number;
}

export interface LibsqlServer {
  url: string;
  port: number;
  databasePath: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }

  /** The body sent: sqld's own refusals (429) are `{"error": …}`, the rest a Hrana error object. */
  get body(): Record<string, string> {
    if (this.status === 429) return { error: this.message };
    return { message: this.message, ...(this.code ? { code: this.code } : {}) };
  }
}

const PIPELINE_PATHS = new Set(["/v2/pipeline", "/v3/pipeline"]);
const VERSION_PATHS = new Set(["/v2", "/v3", "/health"]);

export async function startLibsqlServer(options: LibsqlServerOptions): Promise<LibsqlServer> {
  const temporaryDir = options.databasePath === ":memory:" ? mkdtempSync(join(tmpdir(), "libsql-")) : undefined;
  const databasePath = temporaryDir ? join(temporaryDir, "memory.db") : options.databasePath;
  mkdirSync(dirname(databasePath), { recursive: true });
  const lockWaits = {
    transactionTimeoutMs: options.transactionTimeoutMs ?? SQLD_TRANSACTION_TIMEOUT_MS,
    busyTimeoutMs: options.busyTimeoutMs ?? SQLD_BUSY_TIMEOUT_MS,
  };
  await enableWal(databasePath, new WriteLock(lockWaits));

  const streams = new StreamManager({
    databasePath,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? 10_000,
    ...lockWaits,
    maxConcurrentConnections: options.maxConcurrentConnections ?? SQLD_MAX_CONCURRENT_CONNECTIONS,
    maxConcurrentRequests: options.maxConcurrentRequests ?? SQLD_MAX_CONCURRENT_REQUESTS,
    connectionCreationTimeoutMs: options.connectionCreationTimeoutMs,
  });
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const expectedAuth = options.authToken ? digest(`Bearer ${options.authToken}`) : undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const httpError =
        error instanceof HttpError
          ? error
          : error instanceof HranaError
            ? new HttpError(400, error.message, error.code)
            : error instanceof TooManyRequestsError
              ? new HttpError(429, error.message)
              : new HttpError(500, "Internal server error");
      if (httpError.status === 500) console.error("libsql-server: unexpected error", error);
      sendJson(res, httpError.status, httpError.body);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
    if (expectedAuth && !timingSafeEqual(digest(req.headers.authorization ?? ""), expectedAuth)) {
      throw new HttpError(401, "Unauthorized: a valid bearer token is required", "AUTH_REQUIRED");
    }
    if (PIPELINE_PATHS.has(path)) {
      if (req.method !== "POST") throw methodNotAllowed(res, "POST");
      const body = pipelineRequestSchema.safeParse(parseJson(await readBody(req, maxBodyBytes)));
      if (!body.success) {
        const issue = body.error.issues[0];
        throw new HttpError(400, `Invalid pipeline request at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
      }
      sendJson(res, 200, await runPipeline(streams, body.data));
      return;
    }
    if (VERSION_PATHS.has(path)) {
      if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed(res, "GET, HEAD");
      res.writeHead(200, { "content-type": "text/plain" }).end(path === "/health" ? "ok\n" : "");
      return;
    }
    throw new HttpError(404, `Not found: ${path}`);
  }

  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port, address } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    port,
    databasePath,
    async close() {
      streams.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
    },
  };
}

// WAL lets readers proceed while one connection writes; it is a property of the file, set once.
async function enableWal(databasePath: string, writeLock: WriteLock): Promise<void> {
  const connection = new SqlConnection(databasePath, writeLock);
  try {
    await connection.sequence("PRAGMA journal_mode=WAL");
  } finally {
    connection.close();
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function methodNotAllowed(res: ServerResponse, allow: string): HttpError {
  res.setHeader("allow", allow);
  return new HttpError(405, "Method not allowed");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `Request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
