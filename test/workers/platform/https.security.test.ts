import { describe, expect, it } from "vitest";
import { callWorkerWith, PRODUCTION_ENV, readProblem } from "../support/worker";

describe("HTTPS only in deployed environments", () => {
  it("redirects plain-HTTP GET and HEAD with 308 to the same URL on https", async () => {
    for (const method of ["GET", "HEAD"]) {
      const response = await callWorkerWith(PRODUCTION_ENV, "http://api.test/health?x=1", {
        method,
        redirect: "manual",
      });
      expect(response.status, method).toBe(308);
      expect(response.headers.get("location")).toBe("https://api.test/health?x=1");
    }
  });

  it("refuses other plain-HTTP methods with 403 instead of redirecting them", async () => {
    const response = await callWorkerWith(PRODUCTION_ENV, "http://api.test/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:https_required");
  });

  it("applies to staging too", async () => {
    const response = await callWorkerWith({ ...PRODUCTION_ENV, ENVIRONMENT: "staging" }, "http://api.test/health", {
      redirect: "manual",
    });
    expect(response.status).toBe(308);
  });

  it("serves plain HTTP in development and tests", async () => {
    const response = await callWorkerWith({ ENVIRONMENT: "development" }, "http://localhost/health");
    expect(response.status).toBe(200);
  });
});
