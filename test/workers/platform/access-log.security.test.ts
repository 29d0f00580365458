import { afterEach, describe, expect, it, vi } from "vitest";
import { callWorker } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("structured access log", () => {
  it("logs method, path, status, duration and request id as one JSON line, and never bodies, tokens or query strings", async () => {
    const logged = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const secret = "marker-secret-7f3a9c";
    await callWorker(`/health?api_key=${secret}`, {
      headers: { authorization: `Bearer ${secret}`, "x-request-id": "log-probe-0001", cookie: `session=${secret}` },
    });
    await callWorker("/health", {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "log-probe-0002" },
      body: JSON.stringify({ password: secret }),
    });

    const lines = logged.mock.calls.map(([line]) => String(line));
    expect(lines.join("\n")).not.toContain(secret);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries).toContainEqual({
      level: "info",
      event: "request",
      at: expect.any(String),
      request_id: "log-probe-0001",
      method: "GET",
      path: "/health",
      status: 200,
      duration_ms: expect.any(Number),
    });
    expect(entries).toContainEqual(
      expect.objectContaining({ request_id: "log-probe-0002", method: "POST", status: 405 }),
    );
  });
});
