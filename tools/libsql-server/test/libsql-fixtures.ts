import { type Client, createClient } from "@libsql/client";
import { test as base } from "vitest";
import { type LibsqlServer, type LibsqlServerOptions, startLibsqlServer } from "../src/server.ts";

interface Fixtures {
  serverOptions: Partial<LibsqlServerOptions>;
  server: LibsqlServer;
  client: Client;
  pipeline: (body: unknown, path?: string) => Promise<{ status: number; json: PipelineJson }>;
}

export interface PipelineJson {
  baton: string | null;
  message?: string;
  code?: string;
  results: {
    type: "ok" | "error";
    response?: { type: string; result?: Record<string, unknown>; is_autocommit?: boolean };
    error?: { message: string; code: string };
  }[];
}

/** Each test gets its own server on its own throwaway database: nothing is shared between tests. */
export const test = base.extend<Fixtures>({
  serverOptions: {},
  server: async ({ serverOptions }, use) => {
    const server = await startLibsqlServer({ databasePath: ":memory:", ...serverOptions });
    await use(server);
    await server.close();
  },
  client: async ({ server, serverOptions }, use) => {
    const client = createClient({ url: server.url, authToken: serverOptions.authToken });
    await use(client);
    client.close();
  },
  pipeline: async ({ server }, use) => {
    await use(async (body, path = "/v3/pipeline") => {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as PipelineJson };
    });
  },
});

export const text = (value: string) => ({ type: "text", value });
export const integer = (value: number | bigint) => ({ type: "integer", value: String(value) });
export const stmt = (sql: string, args: unknown[] = []) => ({ sql, args, want_rows: true });
