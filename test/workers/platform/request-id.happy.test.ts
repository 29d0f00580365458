import { afterEach, describe, expect, it, vi } from "vitest";
import { callWorker, readProblem } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("X-Request-ID", () => {
  it("is generated when absent and returned on the response", async () => {
    const response = await callWorker("/health");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("honours a well-formed incoming id, in the response, the problem body and the access log", async () => {
    const logged = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const response = await callWorker("/api/missing", { headers: { "x-request-id": "edge-trace-42_abc" } });
    expect(response.headers.get("x-request-id")).toBe("edge-trace-42_abc");
    expect((await readProblem(response)).request_id).toBe("edge-trace-42_abc");
    const entries = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(entries).toContainEqual(expect.objectContaining({ event: "request", request_id: "edge-trace-42_abc" }));
  });

  it("replaces a malformed or oversized incoming id", async () => {
    for (const incoming of ["has spaces in it", "x".repeat(129), 'quote"injection', "line\tbreak"]) {
      const response = await callWorker("/health", { headers: { "x-request-id": incoming } });
      const id = response.headers.get("x-request-id");
      expect(id, incoming).not.toBe(incoming);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
