import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, mask, REDACTED } from "../../../src/platform/logger";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("masking", () => {
  it("redacts secret-named keys at any depth, tokens inside text, and hides most of an email", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXZhbHVl";
    const masked = mask({
      email: "alice@example.com",
      password: "hunter2-marker",
      nested: { refresh_token: "rt-marker", Authorization: "Bearer abc.def", card_number: "4242424242424242" },
      list: [{ client_secret: "pi_secret_marker" }],
      note: `header was Bearer ${jwt} and token ${jwt}`,
      status: 200,
    });
    const text = JSON.stringify(masked);
    for (const marker of [
      "hunter2-marker",
      "rt-marker",
      "abc.def",
      "4242424242424242",
      "pi_secret_marker",
      jwt,
      "alice@",
    ]) {
      expect(text).not.toContain(marker);
    }
    expect(masked).toMatchObject({ email: "a***@example.com", password: REDACTED, status: 200 });
  });
});

describe("structured logger", () => {
  it("writes one JSON line per entry even when a value carries CR/LF and fake JSON", () => {
    const written = vi.spyOn(console, "log").mockImplementation(() => undefined);
    createLogger({ request_id: "r1" }).info("login_failed", {
      username: 'mallory\r\n{"level":"info","event":"login_succeeded"}',
    });
    expect(written).toHaveBeenCalledTimes(1);
    const line = String(written.mock.calls[0]?.[0]);
    expect(line).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line)).toMatchObject({ level: "info", event: "login_failed", request_id: "r1" });
  });
});
