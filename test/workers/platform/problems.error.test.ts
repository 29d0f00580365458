import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createProbeApp, LEAKY_ERROR_MESSAGE } from "../support/probe-app";
import { callWorker, readProblem } from "../support/worker";

function probe(path: string, init?: RequestInit) {
  return createProbeApp().request(`https://api.test${path}`, init, env);
}

const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("errors are RFC 9457 problem+json", () => {
  it("malformed JSON → 400", async () => {
    const response = await probe("/api/probe", json('{"name": "a", '));
    expect(response.status).toBe(400);
    const problem = await readProblem(response);
    expect(problem).toMatchObject({
      type: "urn:edge-commerce:problem:malformed_request",
      title: "Bad Request",
      status: 400,
      instance: "/api/probe",
    });
    expect(problem.detail).toMatch(/JSON/);
    expect(problem.request_id).toBe(response.headers.get("x-request-id"));
  });

  it("schema violation → 422 with every field error", async () => {
    const response = await probe("/api/probe", json(JSON.stringify({ name: "", quantity: 1.5, role: "admin" })));
    expect(response.status).toBe(422);
    const problem = await readProblem(response);
    expect(problem.type).toBe("urn:edge-commerce:problem:validation_error");
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "body.name" }),
        expect.objectContaining({ path: "body.quantity" }),
        { path: "body.role", message: "Unknown field" },
      ]),
    );
  });

  it("a body that is not JSON → 415", async () => {
    const response = await probe("/api/probe", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "name=a",
    });
    expect(response.status).toBe(415);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:unsupported_media_type");
  });

  it("an oversized body → 413, whether it declares its length or streams it", async () => {
    const big = JSON.stringify({ name: "x".repeat(200_000), quantity: 1 });
    const declared = await probe("/api/probe", json(big));
    expect(declared.status).toBe(413);
    expect((await readProblem(declared)).type).toBe("urn:edge-commerce:problem:payload_too_large");

    const stream = new Blob([big]).stream();
    const streamed = await probe("/api/probe", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("unknown route → 404", async () => {
    const response = await callWorker("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await readProblem(response)).toMatchObject({ status: 404, type: "urn:edge-commerce:problem:not_found" });
  });

  it("known route with the wrong method → 405 with Allow", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const response = await callWorker("/health", { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
      expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:method_not_allowed");
    }
    const withSlash = await callWorker("/health/", { method: "POST" });
    expect(withSlash.status).toBe(405);
  });

  it("an unexpected error → 500 with a generic detail; the real error is only logged, with the request id", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await probe("/api/probe/crash", { headers: { "x-request-id": "crash-probe-0001" } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("password_hash");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("at ");
    const problem = JSON.parse(text);
    expect(problem).toMatchObject({
      status: 500,
      type: "urn:edge-commerce:problem:internal_error",
      detail: "An unexpected error occurred.",
      request_id: "crash-probe-0001",
    });
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toContainEqual(
      expect.objectContaining({
        event: "unhandled_error",
        request_id: "crash-probe-0001",
        error: expect.objectContaining({ message: LEAKY_ERROR_MESSAGE }),
      }),
    );
  });

  it("a valid request passes the same pipeline", async () => {
    const response = await probe("/api/probe", json(JSON.stringify({ name: "ok", quantity: 2 })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
