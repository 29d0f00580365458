import { toHranaError } from "./connection.ts";
import {
  type BatchCond,
  type BatchResult,
  HranaError,
  type PipelineRequest,
  type PipelineResponse,
  type StreamRequest,
  type StreamResponse,
  type StreamResult,
} from "./protocol.ts";
import type { Stream, StreamManager } from "./streams.ts";

type StepOutcome = "ok" | "error" | "skipped";

/**
 * Executes one HTTP pipeline: requests run in order on one stream; a failing
 * request gets an error result and the next requests still run. The stream is
 * kept for the client (new baton) unless the pipeline closed it.
 */
export async function runPipeline(manager: StreamManager, body: PipelineRequest): Promise<PipelineResponse> {
  const stream = body.baton ? manager.take(body.baton) : await manager.open();
  const results: StreamResult[] = [];
  let closed = false;
  for (const request of body.requests) {
    if (closed) {
      results.push({ type: "error", error: { message: "The stream is closed", code: "STREAM_CLOSED" } });
      continue;
    }
    try {
      results.push({ type: "ok", response: await handle(stream, request) });
      if (request.type === "close") closed = true;
    } catch (error) {
      results.push({ type: "error", error: toHranaError(error).toProto() });
    }
  }
  if (closed) {
    manager.close(stream);
    return { baton: null, base_url: null, results };
  }
  return { baton: manager.park(stream), base_url: null, results };
}

async function handle(stream: Stream, request: StreamRequest): Promise<StreamResponse> {
  const connection = stream.connection;
  switch (request.type) {
    case "close":
      return { type: "close" };
    case "execute": {
      const sql = stream.resolveSql(request.stmt);
      const result = await connection.execute(request.stmt, sql);
      return { type: "execute", result };
    }
    case "batch":
      return { type: "batch", result: await runBatch(stream, request.batch.steps) };
    case "sequence": {
      const sql = stream.resolveSql(request);
      await connection.sequence(sql);
      return { type: "sequence" };
    }
    case "describe": {
      const sql = stream.resolveSql(request);
      return { type: "describe", result: await connection.describe(sql) };
    }
    case "store_sql":
      stream.storeSql(request.sql_id, request.sql);
      return { type: "store_sql" };
    case "close_sql":
      stream.storedSql.delete(request.sql_id);
      return { type: "close_sql" };
    case "get_autocommit":
      return { type: "get_autocommit", is_autocommit: connection.isAutocommit };
  }
}

type BatchStep = Extract<StreamRequest, { type: "batch" }>["batch"]["steps"][number];

/** Runs batch steps in order; a step whose condition is false is skipped (no result, no error). */
async function runBatch(stream: Stream, steps: BatchStep[]): Promise<BatchResult> {
  for (const [index, step] of steps.entries()) {
    if (step.condition) checkStepReferences(step.condition, index);
  }
  const outcomes: StepOutcome[] = [];
  const result: BatchResult = { step_results: [], step_errors: [] };
  let transactionTimeout: HranaError | undefined;
  for (const step of steps) {
    // As in sqld, once the stream's transaction was taken away, every remaining step fails, conditions unread.
    transactionTimeout ??= stream.connection.takeTransactionTimeout();
    if (transactionTimeout) {
      outcomes.push("error");
      result.step_results.push(null);
      result.step_errors.push(transactionTimeout.toProto());
      continue;
    }
    if (step.condition && !evaluate(step.condition, outcomes, stream)) {
      outcomes.push("skipped");
      result.step_results.push(null);
      result.step_errors.push(null);
      continue;
    }
    try {
      const sql = stream.resolveSql(step.stmt);
      const stepResult = await stream.connection.execute(step.stmt, sql);
      outcomes.push("ok");
      result.step_results.push(stepResult);
      result.step_errors.push(null);
    } catch (error) {
      outcomes.push("error");
      result.step_results.push(null);
      result.step_errors.push(toHranaError(error).toProto());
    }
  }
  return result;
}

function evaluate(cond: BatchCond, outcomes: StepOutcome[], stream: Stream): boolean {
  switch (cond.type) {
    case "ok":
    case "error":
      return outcomes[cond.step] === cond.type;
    case "not":
      return !evaluate(cond.cond, outcomes, stream);
    case "and":
      return cond.conds.every((inner) => evaluate(inner, outcomes, stream));
    case "or":
      return cond.conds.some((inner) => evaluate(inner, outcomes, stream));
    case "is_autocommit":
      return stream.connection.isAutocommit;
  }
}

/** A condition may only look at steps before its own; checked before any step runs. */
function checkStepReferences(cond: BatchCond, current: number): void {
  switch (cond.type) {
    case "ok":
    case "error":
      if (cond.step >= current) {
        throw new HranaError(
          `condition of step ${current} refers to step ${cond.step}, which runs later`,
          "BATCH_COND_INVALID",
        );
      }
      return;
    case "not":
      checkStepReferences(cond.cond, current);
      return;
    case "and":
    case "or":
      for (const inner of cond.conds) checkStepReferences(inner, current);
      return;
    case "is_autocommit":
      return;
  }
}
