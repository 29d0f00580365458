import { describe, expect, inject, it } from "vitest";
import { callWorkerWith, readProblem } from "../support/worker";

describe("GET /health when the database is unreachable", () => {
  it("answers 503 problem+json when the libSQL server has stopped", async () => {
    const response = await callWorkerWith({ DATABASE_URL: inject("unreachableDatabaseUrl") }, "/health");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const problem = await readProblem(response);
    expect(problem).toMatchObject({ status: 503, type: "urn:edge-commerce:problem:database_unavailable" });
    expect(JSON.stringify(problem)).not.toContain("127.0.0.1");
  });

  it("answers 503 when nothing listens at the configured address", async () => {
    const response = await callWorkerWith({ DATABASE_URL: "http://127.0.0.1:9" }, "/health");
    expect(response.status).toBe(503);
  });
});
