import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/platform/config";
import { type EnvOverrides, PRODUCTION_ENV, TEST_BINDINGS } from "../../fixtures/environments";

/** The suite's bindings under a deployed configuration, with `overrides` on top (undefined removes a variable). */
function productionWith(overrides: EnvOverrides = {}): Record<string, string> {
  const merged: EnvOverrides = { ...TEST_BINDINGS, ...PRODUCTION_ENV, ...overrides };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

describe("deployed configuration refusals, each naming its variable", () => {
  it("the production configuration the tests use is itself valid", () => {
    expect(parseConfig(productionWith())).toMatchObject({ ok: true });
  });

  it("a * CORS origin is refused in production, for that reason alone", () => {
    expect(parseConfig(productionWith({ CORS_ORIGINS: "*" }))).toEqual({
      ok: false,
      problems: [{ variable: "CORS_ORIGINS", message: "may not be * in staging and production" }],
    });
  });

  it("a * among real origins is refused too", () => {
    const result = parseConfig(productionWith({ CORS_ORIGINS: "https://shop.test,*" }));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.variable)).toEqual(["CORS_ORIGINS"]);
  });

  it("outside staging and production, * is allowed (and never with credentials, per the CORS tests)", () => {
    const result = parseConfig({ ...productionWith({ CORS_ORIGINS: "*" }), ENVIRONMENT: "test" });
    expect(result.ok).toBe(true);
    expect(result.ok && result.config.cors).toEqual({ origins: [], allowAny: true });
  });
});
