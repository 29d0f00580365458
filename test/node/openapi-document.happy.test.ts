import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { TEST_BINDINGS } from "../fixtures/environments.ts";

/**
 * Builds the Worker the way `wrangler deploy` does (esbuild bundle from
 * wrangler.toml), runs it in workerd, and validates its OpenAPI document
 * against the official 3.1 schema: the validator needs Node, so this check
 * lives on the Node side.
 */
describe("the bundled Worker's OpenAPI document", () => {
  let harness: TestHarness;

  beforeAll(async () => {
    harness = createTestHarness({
      workers: [
        {
          configPath: "./wrangler.toml",
          vars: { ...TEST_BINDINGS, DATABASE_URL: "http://127.0.0.1:9" },
          secrets: { JWT_SECRET: TEST_BINDINGS.JWT_SECRET },
        },
      ],
    });
    await harness.listen();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it("is valid OpenAPI 3.1", async () => {
    const response = await harness.fetch("/openapi.json");
    expect(response.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate((await response.json()) as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
