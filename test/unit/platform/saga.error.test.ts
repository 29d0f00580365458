import { describe, expect, it } from "vitest";
import { runSaga, type SagaStep } from "../../../src/platform/saga";
import { recordingLogger, step } from "./saga-steps";

describe("runSaga: a step fails", () => {
  it("undoes the failing step and the ones before it, last first, never the ones after, and rethrows", async () => {
    const { logger } = recordingLogger();
    const failure = new Error("out of stock");
    const state = { trail: [] as string[] };
    const saga = runSaga([step("a"), step("b"), step("c", { fails: failure }), step("d")], state, logger);
    await expect(saga).rejects.toBe(failure);
    expect(state.trail).toEqual(["run a", "run b", "run c", "undo c", "undo b", "undo a"]);
  });

  it("tells each compensation which step stopped the saga, and with what error", async () => {
    const { logger } = recordingLogger();
    const failure = new Error("provider down");
    const told: unknown[] = [];
    const listening: SagaStep<object> = {
      name: "reserve",
      run: async () => {},
      compensate: async (_state, why) => {
        told.push(why);
      },
    };
    const failing: SagaStep<object> = { name: "pay", run: () => Promise.reject(failure) };
    await expect(runSaga([listening, failing], {}, logger)).rejects.toBe(failure);
    expect(told).toEqual([{ step: "pay", error: failure }]);
  });

  it("skips steps that have nothing to undo, without counting that as a failed compensation", async () => {
    const { logger, entries } = recordingLogger();
    const state = { trail: [] as string[] };
    const saga = runSaga(
      [step("a"), step("b", { undoable: false }), step("c", { fails: new Error("x") })],
      state,
      logger,
    );
    await expect(saga).rejects.toThrow("x");
    expect(state.trail).toEqual(["run a", "run b", "run c", "undo c", "undo a"]);
    expect(entries.map((entry) => entry.event)).toEqual(["saga_step_failed"]);
  });

  it("logs the failing step as a warning, with the saga's context", async () => {
    const { logger, entries } = recordingLogger();
    const failure = new Error("declined");
    const saga = runSaga([step("pay", { fails: failure })], { trail: [] }, logger, { order_id: "ord_1" });
    await expect(saga).rejects.toBe(failure);
    expect(entries).toEqual([
      { level: "warn", event: "saga_step_failed", fields: { order_id: "ord_1", step: "pay", error: failure } },
    ]);
  });

  it("logs a compensation that fails as an error, still runs the others, and rethrows the original error", async () => {
    const { logger, entries } = recordingLogger();
    const failure = new Error("declined");
    const undoFailure = new Error("release failed");
    const state = { trail: [] as string[] };
    const brokenUndo: SagaStep<{ trail: string[] }> = {
      name: "reserve",
      run: async (current) => {
        current.trail.push("run reserve");
      },
      compensate: () => Promise.reject(undoFailure),
    };
    const saga = runSaga([step("snapshot"), brokenUndo, step("pay", { fails: failure })], state, logger, {
      order_id: "ord_1",
    });
    await expect(saga).rejects.toBe(failure);
    expect(state.trail).toEqual(["run snapshot", "run reserve", "run pay", "undo pay", "undo snapshot"]);
    expect(entries).toEqual([
      { level: "warn", event: "saga_step_failed", fields: { order_id: "ord_1", step: "pay", error: failure } },
      {
        level: "error",
        event: "saga_compensation_failed",
        fields: { order_id: "ord_1", step: "reserve", error: undoFailure },
      },
    ]);
  });
});
