/**
 * RFC 9457 problem details: the one error class of the API and the one place
 * that turns it into a response.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
const PROBLEM_TYPE_PREFIX = "urn:edge-commerce:problem:";

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemOptions {
  title?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the problem object (RFC 9457 extensions), e.g. `available`. */
  extensions?: Record<string, unknown>;
  /** A problem body to send exactly as it was first sent (idempotent replays). */
  verbatimBody?: unknown;
}

const TITLES: Partial<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    /** Machine-readable problem kind; the `type` URI ends with it. */
    readonly code: string,
    /** Safe, human-readable explanation sent to the client. */
    readonly detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

/**
 * The 422 of invalid fields, in the shape request validation answers with; `prefix` (e.g. `"body."`) goes before
 * each path.
 */
export function invalidFields(errors: FieldError[], prefix = ""): ApiError {
  return new ApiError(422, "validation_error", "The request is not valid.", {
    errors: errors.map(({ path, message }) => ({ path: `${prefix}${path}`, message })),
  });
}

/** The 422 of one invalid field, in the shape request validation answers with. */
export function invalidField(path: string, message: string): ApiError {
  return invalidFields([{ path, message }]);
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  request_id: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

function problemBody(c: Context, error: ApiError): ProblemBody {
  return {
    ...error.options.extensions,
    type: `${PROBLEM_TYPE_PREFIX}${error.code}`,
    title: error.options.title ?? TITLES[error.status] ?? "Error",
    status: error.status,
    detail: error.detail,
    instance: new URL(c.req.url).pathname,
    request_id: c.get("requestId") ?? "",
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
}

export function problemResponse(c: Context, error: ApiError): Response {
  const body = error.options.verbatimBody ?? problemBody(c, error);
  return c.body(JSON.stringify(body), error.status, {
    ...error.options.headers,
    "Content-Type": PROBLEM_CONTENT_TYPE,
  });
}
