import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { callWorker } from "../support/worker";

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

const UNDOCUMENTED = new Set(["/openapi.json", "/docs"]);

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document listing every route of the app", async () => {
    const response = await callWorker("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toBe("3.1.0");

    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
      ),
    );
    const served = createApp()
      .routes.filter((route) => route.method !== "ALL" && !UNDOCUMENTED.has(route.path))
      .map((route) => `${route.method} ${route.path}`);
    expect(served.length).toBeGreaterThan(0);
    expect([...documented].sort()).toEqual([...new Set(served)].sort());
  });

  it("documents problem responses", async () => {
    const document = (await (await callWorker("/openapi.json")).json()) as {
      components: { schemas: Record<string, unknown> };
    };
    expect(document.components.schemas.Problem).toBeDefined();
  });
});
