import type { Logger } from "../../../src/platform/logger";
import type { SagaStep } from "../../../src/platform/saga";

/** A logger that keeps what it was told, per test. */
export function recordingLogger() {
  const entries: { level: string; event: string; fields: Record<string, unknown> | undefined }[] = [];
  const logger: Logger = {
    debug: (event, fields) => entries.push({ level: "debug", event, fields }),
    info: (event, fields) => entries.push({ level: "info", event, fields }),
    warn: (event, fields) => entries.push({ level: "warn", event, fields }),
    error: (event, fields) => entries.push({ level: "error", event, fields }),
    child: () => logger,
  };
  return { logger, entries };
}

/** A step that records its run (and, unless `undoable` is false, its compensation) in `state.trail`. */
export function step(name: string, options: { fails?: Error; undoable?: boolean } = {}): SagaStep<{ trail: string[] }> {
  return {
    name,
    async run(state) {
      state.trail.push(`run ${name}`);
      if (options.fails) throw options.fails;
    },
    ...(options.undoable === false
      ? {}
      : {
          async compensate(state: { trail: string[] }) {
            state.trail.push(`undo ${name}`);
          },
        }),
  };
}
