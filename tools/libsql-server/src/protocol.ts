/**
 * The JSON shapes of the Hrana-over-HTTP protocol (versions 2 and 3), as
 * spoken by `@libsql/client` and Turso: requests are validated with zod so a
 * malformed body is a 400 with a message, never a crash.
 */
import { z } from "zod";

export type SqlValue = null | bigint | number | string | Uint8Array;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

const integerText = z
  .string()
  .regex(/^-?\d{1,19}$/, "integer values are decimal strings")
  .refine((text) => {
    const value = BigInt(text);
    return value >= I64_MIN && value <= I64_MAX;
  }, "integer value out of 64-bit range");

export const valueSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("null") }),
  z.object({ type: z.literal("integer"), value: integerText }),
  z.object({ type: z.literal("float"), value: z.number() }),
  z.object({ type: z.literal("text"), value: z.string() }),
  z.object({ type: z.literal("blob"), base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "blobs are base64") }),
]);
export type HranaValue = z.infer<typeof valueSchema>;

export type BatchCond =
  | { type: "ok"; step: number }
  | { type: "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and"; conds: BatchCond[] }
  | { type: "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };

const stepIndex = z.number().int().nonnegative();

export const batchCondSchema: z.ZodType<BatchCond> = z.lazy(() =>
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("ok"), step: stepIndex }),
    z.object({ type: z.literal("error"), step: stepIndex }),
    z.object({ type: z.literal("not"), cond: batchCondSchema }),
    z.object({ type: z.literal("and"), conds: z.array(batchCondSchema) }),
    z.object({ type: z.literal("or"), conds: z.array(batchCondSchema) }),
    z.object({ type: z.literal("is_autocommit") }),
  ]),
);

const sqlId = z.number().int().nonnegative();

export const stmtSchema = z
  .object({
    sql: z.string().optional(),
    sql_id: sqlId.optional(),
    args: z.array(valueSchema).default([]),
    named_args: z.array(z.object({ name: z.string().min(1), value: valueSchema })).default([]),
    want_rows: z.boolean().default(true),
  })
  .refine((stmt) => (stmt.sql === undefined) !== (stmt.sql_id === undefined), {
    message: "a statement needs exactly one of sql and sql_id",
  });
export type HranaStmt = z.infer<typeof stmtSchema>;

const sqlSource = {
  sql: z.string().optional(),
  sql_id: sqlId.optional(),
};

export const streamRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("close") }),
  z.object({ type: z.literal("execute"), stmt: stmtSchema }),
  z.object({
    type: z.literal("batch"),
    batch: z.object({
      steps: z.array(z.object({ condition: batchCondSchema.nullish(), stmt: stmtSchema })),
    }),
  }),
  z.object({ type: z.literal("sequence"), ...sqlSource }),
  z.object({ type: z.literal("describe"), ...sqlSource }),
  z.object({ type: z.literal("store_sql"), sql_id: sqlId, sql: z.string() }),
  z.object({ type: z.literal("close_sql"), sql_id: sqlId }),
  z.object({ type: z.literal("get_autocommit") }),
]);
export type StreamRequest = z.infer<typeof streamRequestSchema>;

export const pipelineRequestSchema = z.object({
  baton: z.string().nullish(),
  requests: z.array(streamRequestSchema).max(1000),
});
export type PipelineRequest = z.infer<typeof pipelineRequestSchema>;

export interface Col {
  name: string | null;
  decltype: string | null;
}

export interface StmtResult {
  cols: Col[];
  rows: HranaValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

export interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (ProtoError | null)[];
}

export interface DescribeResult {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}

export interface ProtoError {
  message: string;
  code: string;
}

export type StreamResponse =
  | { type: "close" }
  | { type: "execute"; result: StmtResult }
  | { type: "batch"; result: BatchResult }
  | { type: "sequence" }
  | { type: "describe"; result: DescribeResult }
  | { type: "store_sql" }
  | { type: "close_sql" }
  | { type: "get_autocommit"; is_autocommit: boolean };

export type StreamResult = { type: "ok"; response: StreamResponse } | { type: "error"; error: ProtoError };

export interface PipelineResponse {
  baton: string | null;
  base_url: string | null;
  results: StreamResult[];
}

/**
 * An error reported to the client inside a pipeline result, with a
 * machine-readable code. For SQLite failures `code` is the primary code, as
 * sqld sends it, and `extendedCode` the engine's extended one, which stays in
 * this server: sqld's Hrana error has no field for it.
 */
export class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extendedCode: string = code,
  ) {
    super(message);
    this.name = "HranaError";
  }

  toProto(): ProtoError {
    return { message: this.message, code: this.code };
  }
}

export function decodeValue(value: HranaValue): SqlValue {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value);
    case "float":
      return value.value;
    case "text":
      return value.value;
    case "blob":
      return Buffer.from(value.base64, "base64");
  }
}

export function encodeValue(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) return { type: "blob", base64: Buffer.from(value).toString("base64") };
  throw new HranaError(`cannot encode a ${typeof value} value`, "INTERNAL");
}
