/**
 * A saga: steps that each touch one system (the database, a Durable Object, the payment provider), run in order.
 * When a step fails, the steps already done are undone in reverse order, and then the failing step itself, since
 * it may have failed half-way (one product reserved of three). That is why every `compensate` must be idempotent
 * and safe to run for work that never happened: steps key what they do by an id chosen before the saga starts.
 * A Worker that dies mid-saga runs no compensation at all; what it left is ended by timers (reservation alarms,
 * the cron), which is why each step's effect must also expire on its own.
 */
import type { Logger } from "./logger";

export interface SagaStep<State> {
  readonly name: string;
  run(state: State): Promise<void>;
  /** Undoes `run`; told which step stopped the saga and with what error, so it can record why. */
  compensate?(state: State, failure: SagaFailure): Promise<void>;
}

export interface SagaFailure {
  step: string;
  error: unknown;
}

/**
 * Runs `steps` over `state`. On failure: compensates the failing step and every completed one in reverse
 * order, logs any compensation that fails (the others still run), and rethrows the original error.
 */
export async function runSaga<State>(
  steps: readonly SagaStep<State>[],
  state: State,
  logger: Logger,
  context: Record<string, unknown> = {},
): Promise<State> {
  const started: SagaStep<State>[] = [];
  for (const step of steps) {
    started.push(step);
    try {
      await step.run(state);
    } catch (error) {
      logger.warn("saga_step_failed", { ...context, step: step.name, error });
      for (const undo of started.reverse()) {
        if (!undo.compensate) continue;
        try {
          await undo.compensate(state, { step: step.name, error });
        } catch (compensationError) {
          logger.error("saga_compensation_failed", { ...context, step: undo.name, error: compensationError });
        }
      }
      throw error;
    }
  }
  return state;
}
