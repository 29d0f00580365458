import { describe, expect, it } from "vitest";
import { callWorker } from "../support/worker";

describe("GET /health", () => {
  it("answers 200 ok after a query against the real libSQL server", async () => {
    const response = await callWorker("/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("routes the same with a trailing slash", async () => {
    const response = await callWorker("/health/");
    expect(response.status).toBe(200);
  });

  it("answers HEAD without a body", async () => {
    const response = await callWorker("/health", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});
