import { createClient } from "@libsql/client";
import { describe, expect } from "vitest";
import { test } from "./libsql-fixtures.ts";

const TOKEN = "local-test-token-0123456789";

describe("libSQL server bearer token", () => {
  test.override({ serverOptions: { authToken: TOKEN } });

  test("a client configured with the token works", async ({ client }) => {
    expect((await client.execute("SELECT 1 AS one")).rows[0]?.one).toBe(1);
  });

  test("requests without the token, or with another one, get 401", async ({ server }) => {
    for (const authToken of [undefined, "wrong-token", `${TOKEN}x`]) {
      const client = createClient({ url: server.url, authToken });
      await expect(client.execute("SELECT 1")).rejects.toMatchObject({ code: "AUTH_REQUIRED" });
      client.close();
    }
    const raw = await fetch(`${server.url}/v3/pipeline`, { method: "POST", body: "{}" });
    expect(raw.status).toBe(401);
  });
});
