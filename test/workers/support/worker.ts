import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import worker, { createWorker } from "../../../src";
import type { ServiceOverrides } from "../../../src/services";

export const BASE_URL = "https://api.test";

export { type EnvOverrides, PRODUCTION_ENV } from "../../fixtures/environments";

import type { EnvOverrides } from "../../fixtures/environments";

/** Calls the Worker through its real entry point, with the test configuration. */
export function callWorker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, BASE_URL), init));
}

/**
 * Calls the Worker's fetch handler with configuration overrides, as a differently configured deployment would
 * run it; with `services`, through a Worker whose services are replaced (fault injection).
 */
export async function callWorkerWith(
  overrides: EnvOverrides,
  path: string,
  init?: RequestInit,
  services?: ServiceOverrides,
): Promise<Response> {
  const ctx = createExecutionContext();
  const target = services ? createWorker(services) : worker;
  const response = await target.fetch(new Request(new URL(path, BASE_URL), init), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id: string;
  errors?: { path: string; message: string }[];
}

export async function readProblem(response: Response): Promise<Problem> {
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(`expected problem+json, got ${response.headers.get("content-type")}: ${await response.text()}`);
  }
  return (await response.json()) as Problem;
}
