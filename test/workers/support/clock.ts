import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import worker, { createWorker } from "../../../src";
import type { ServiceOverrides } from "../../../src/services";
import type { EnvOverrides } from "../../fixtures/environments";

/**
 * Moves the clock of the tests, the Worker and its Durable Objects (they share the isolate), instead of sleeping
 * until a deadline passes. Files that call it restore real time with `vi.useRealTimers()` after each test.
 */
export function passTime(seconds: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + seconds * 1000);
}

/** One run of the cron trigger at the (moved) current time, as the deployment configured by `env` runs it. */
export async function runCron(options: { env?: EnvOverrides; services?: ServiceOverrides } = {}): Promise<void> {
  const ctx = createExecutionContext();
  await (options.services ? createWorker(options.services) : worker).scheduled(
    createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }),
    { ...env, ...options.env } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}
