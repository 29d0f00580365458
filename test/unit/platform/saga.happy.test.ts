import { describe, expect, it } from "vitest";
import { runSaga } from "../../../src/platform/saga";
import { recordingLogger, step } from "./saga-steps";

describe("runSaga: every step succeeds", () => {
  it("runs the steps in order, undoes nothing, logs nothing, and returns the state", async () => {
    const { logger, entries } = recordingLogger();
    const state = { trail: [] as string[] };
    const result = await runSaga([step("a"), step("b"), step("c")], state, logger);
    expect(result).toBe(state);
    expect(state.trail).toEqual(["run a", "run b", "run c"]);
    expect(entries).toEqual([]);
  });
});
