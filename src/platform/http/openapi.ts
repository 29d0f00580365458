import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import {
  ApiError,
  type FieldError,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  type ProblemCode,
  problemType,
} from "./problem";
import { hasTrait } from "./route-traits";
import type { AppBindings } from "./types";

const LOCATIONS: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
};

/** Turns zod issues into the `errors` list of a validation problem: `{path: "body.email", message}`. */
function fieldErrors(error: ZodError, target: string): FieldError[] {
  const location = LOCATIONS[target] ?? target;
  return error.issues.flatMap((issue) => {
    const base = [location, ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...base, key].join("."), message: "Unknown field" }));
    }
    return [{ path: base.join("."), message: issue.message }];
  });
}

/** A router whose request validation fails with a 422 problem listing every field error. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(422, "validation_error", "The request is not valid.", {
          errors: fieldErrors(result.error, result.target),
        });
      }
    },
  });
}

const PROBLEM_TYPE_URIS = (Object.keys(PROBLEM_TYPES) as ProblemCode[]).map(problemType);

const ProblemSchema = z
  .object({
    type: z.enum(PROBLEM_TYPE_URIS as [string, ...string[]]).openapi({
      description: "What went wrong, as `urn:edge-commerce:problem:<code>`: the API description lists every code",
      example: "urn:edge-commerce:problem:validation_error",
    }),
    title: z.string().openapi({ description: "The HTTP status's phrase", example: "Unprocessable Content" }),
    status: z.number().int().openapi({ description: "The response's status code", example: 422 }),
    detail: z.string().openapi({ description: "What happened, for people", example: "The request is not valid." }),
    instance: z.string().openapi({ description: "The request's path", example: "/api/auth/register" }),
    request_id: z.string().openapi({
      description: "The request's `X-Request-ID`, to quote when reporting a problem",
      example: "3f2b1a7c-58c4-4b8e-9a0e-6d2f1c9b7e11",
    }),
    errors: z
      .array(
        z.object({
          path: z.string().openapi({ description: "Where: `body.`, `query.`, `path.` or `header.` and the field" }),
          message: z.string(),
        }),
      )
      .optional()
      .openapi({ description: "`validation_error` only: every invalid field" }),
  })
  // Open, as RFC 9457 says: the members some types add (named with each code) reach a typed client as `unknown`,
  // to narrow at runtime rather than cast.
  .catchall(z.unknown())
  .openapi("Problem", {
    description:
      "An RFC 9457 problem. Some types add members (e.g. `available` with `insufficient_stock`); clients must ignore members they do not know.",
  });

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

export function problemContent(description: string) {
  return { content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } }, description };
}

/** The request body of a route: JSON, required, validated by `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { content: { "application/json": { schema } }, required: true, description };
}

/**
 * The operation's tags, each described once in the document: a route cannot name a tag that is not declared here.
 */
export const API_TAGS = {
  System: "Health of the service.",
  Auth: "Accounts: registration, sign-in (OAuth2 password grant), tokens, password reset and email verification.",
  Account: "The signed-in user's own account.",
  "Two-factor authentication": "TOTP two-factor authentication and recovery codes of the signed-in user.",
  Catalog: "The public catalog: products and categories, served from the edge cache and revalidatable by ETag.",
  Cart: "The shopper's cart, for an account (bearer token) or a guest (`Cart-Token`), priced as it stands.",
  Wishlist: "The signed-in user's saved products.",
  Orders: "Checkout and the shopper's orders and payments.",
  "Admin: users": "Admin: accounts, roles and deactivation.",
  "Admin: audit": "Admin: the audit trail of security-relevant events.",
  "Admin: products": "Admin: products, their options, variants and images.",
  "Admin: categories": "Admin: the category tree.",
  "Admin: inventory": "Admin: stock on hand, reservations and the stock ledger.",
  "Admin: orders": "Admin: every order, status changes and refunds.",
  "Admin: analytics": "Admin: sales figures.",
  "Admin: payments": "Admin: payment events from the processor, and replaying failed ones.",
  "Admin: discount codes": "Admin: discount codes and their terms.",
  "Admin: shipping": "Admin: shipping zones and their methods.",
  "Admin: tax rates": "Admin: tax rates by country and region.",
  Webhooks: "Events from the payment processor.",
  Development: "Development-only tools (ENVIRONMENT=development; 404 elsewhere).",
} as const;

type ApiTag = keyof typeof API_TAGS;

/**
 * Who may call an operation, as the guards in app.ts decide by path: anyone; a signed-in user (bearer access
 * token); an admin; or a shopper, signed in or holding a guest cart's `Cart-Token`.
 */
type RouteAccess = "public" | "user" | "admin" | "cart";

const SECURITY: Record<RouteAccess, { [scheme: string]: string[] }[]> = {
  public: [],
  user: [{ bearerAuth: [] }],
  admin: [{ bearerAuth: [] }],
  cart: [{ bearerAuth: [] }, { cartToken: [] }],
};

const ACCESS_NOTES: Record<RouteAccess, string> = {
  public: "Public: needs no credentials.",
  user: "Needs a bearer access token.",
  admin: "Needs the bearer access token of an admin signed in with a second factor.",
  cart: "Needs a bearer access token, or a guest cart's `Cart-Token`.",
};

/** The 401 of an access other than the standard one's (a bearer token only), where it differs. */
const UNAUTHORIZED: Partial<Record<RouteAccess, string>> = {
  cart: "No credentials (`unauthorized`), an invalid, expired or revoked access token (`invalid_token`), or a `Cart-Token` that is malformed, unknown or expired (`invalid_cart_token`)",
};

/** Facts about a route from which its standard answers, headers and security follow. */
interface RouteFacts {
  /** Unique and stable: generated clients name their methods with it. */
  operationId: string;
  tag: ApiTag;
  access: RouteAccess;
  /** The path of what a 201 created, sent in `Location`, e.g. `/api/orders/{id}`. */
  location?: string;
  /**
   * The handler refuses a request without a body although the route declares it optional (a body in one of several
   * media types, which the validators cannot require one at a time): the document says it is required.
   */
  bodyRequired?: true;
}

type RouteInput = Omit<RouteConfig, "tags" | "security" | "operationId">;
type ResponseEntry = RouteConfig["responses"][string];
type HeadersObject = Record<string, { $ref: string } | { description: string; required?: boolean; schema: object }>;

const COMPONENT_HEADERS = {
  "X-Request-ID": {
    description: "The request's id: the client's own `X-Request-ID` (up to 128 characters) or a new UUID",
    required: true,
    schema: { type: "string", example: "3f2b1a7c-58c4-4b8e-9a0e-6d2f1c9b7e11" },
  },
  "WWW-Authenticate": {
    description: "The Bearer challenge (RFC 6750), with `error` when a token was sent and refused",
    required: true,
    schema: { type: "string", example: 'Bearer realm="api", error="invalid_token"' },
  },
  "Retry-After": {
    description: "Seconds to wait before trying again",
    required: true,
    schema: { type: "integer", minimum: 0, example: 60 },
  },
  ETag: {
    description: "The representation's entity tag, for `If-None-Match`",
    required: true,
    schema: { type: "string", example: 'W/"1b2c3d"' },
  },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`",
    schema: { type: "string", const: "true" },
  },
} as const;

type ComponentHeader = keyof typeof COMPONENT_HEADERS;

/**
 * Answers given before an idempotent request's key is claimed, or never stored against it (see idempotency.ts): a
 * replay is never one of these.
 */
const NEVER_REPLAYED = new Set(["400", "401", "413", "415", "429"]);

/** Sent with `idempotency_key_in_flight` only, so not with every 409 of an idempotent operation. */
const IN_FLIGHT_RETRY_AFTER = {
  description: "With `idempotency_key_in_flight`: seconds before retrying",
  schema: { type: "integer", minimum: 0, example: 1 },
};
/**
 * Sent with the bearer-token refusals RFC 6750 gives a challenge to (`invalid_request`, 400; `insufficient_scope`,
 * 403), so not with every 400 or 403.
 */
const BEARER_ERROR_CHALLENGE = {
  description: "With `invalid_request` or `insufficient_scope`: the Bearer challenge naming the error (RFC 6750)",
  schema: { type: "string", example: 'Bearer realm="api", error="insufficient_scope"' },
};
const CHALLENGED_REFUSALS = new Set(["400", "403"]);
const headerRef = (name: ComponentHeader) => ({ $ref: `#/components/headers/${name}` });

interface StandardProblem {
  name: string;
  description: string;
  headers?: ComponentHeader[];
}

/** The problem answers shared by many operations, each a component the operations refer to. */
const STANDARD_PROBLEMS: Record<number, StandardProblem> = {
  400: {
    name: "BadRequest",
    description: "Malformed body (`malformed_request`) or `Authorization` header (`invalid_request`)",
  },
  401: {
    name: "Unauthorized",
    description: "No credentials (`unauthorized`), or an invalid, expired or revoked token (`invalid_token`)",
    headers: ["WWW-Authenticate"],
  },
  403: {
    name: "Forbidden",
    description:
      "Not an admin (`insufficient_scope`), or an admin without two-factor authentication (`admin_2fa_required`)",
  },
  404: { name: "NotFound", description: "No such resource, or none of yours (`not_found`)" },
  409: { name: "Conflict", description: "The request conflicts with the current state of the resource" },
  413: { name: "ContentTooLarge", description: "The body is larger than the API accepts (`payload_too_large`)" },
  415: {
    name: "UnsupportedMediaType",
    description: "The body is not in a media type the operation accepts (`unsupported_media_type`)",
  },
  422: { name: "UnprocessableContent", description: "Invalid fields (`validation_error`, with `errors`)" },
  429: {
    name: "TooManyRequests",
    description: "Too many requests from this client (`rate_limited`)",
    headers: ["Retry-After"],
  },
  503: {
    name: "ServiceUnavailable",
    description: "The database is unreachable (`database_unavailable`) or busy (`database_busy`)",
    headers: ["Retry-After"],
  },
};

const problemResponseObject = (description: string, headers: HeadersObject) => ({
  description,
  headers,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** Registers what `defineRoute` refers to: the Problem schema, the shared problem responses and headers. */
export function registerRouteComponents(registry: OpenAPIHono["openAPIRegistry"]): void {
  registry.register("Problem", ProblemSchema);
  for (const [name, header] of Object.entries(COMPONENT_HEADERS)) registry.registerComponent("headers", name, header);
  for (const [status, problem] of Object.entries(STANDARD_PROBLEMS)) {
    registry.registerComponent(
      "responses",
      problem.name,
      problemResponseObject(problem.description, responseHeaders(problem.headers ?? [], status)),
    );
  }
  registry.registerComponent("parameters", "IfNoneMatch", {
    name: "If-None-Match",
    in: "header",
    required: false,
    description: "An `ETag` from an earlier answer: when it still matches, the answer is 304 without a body",
    schema: { type: "string", example: 'W/"1b2c3d"' },
  });
}

/** `X-Request-ID` and `names`, and the challenge of a bearer-token refusal where `status` can be one. */
function responseHeaders(names: ComponentHeader[], status?: string): HeadersObject {
  const headers: HeadersObject = Object.fromEntries(
    ["X-Request-ID" as const, ...names].map((name) => [name, headerRef(name)]),
  );
  if (status !== undefined && CHALLENGED_REFUSALS.has(status)) headers["WWW-Authenticate"] = BEARER_ERROR_CHALLENGE;
  return headers;
}

function hasJsonBody(route: RouteInput): boolean {
  return Object.keys(route.request?.body?.content ?? {}).length > 0;
}

function isValidated(route: RouteInput): boolean {
  const request = route.request;
  return Boolean(request && (request.params || request.query || request.headers || request.body));
}

/**
 * A route with its OpenAPI promises derived from facts rather than copied by hand: operationId, tag, security;
 * the standard problem answers it can give (a body's 400/413/415/422, a guard's 401/403, a rate limit's 429, the
 * database's 503) unless it describes them itself; and the headers each answer carries (X-Request-ID always;
 * WWW-Authenticate, Retry-After, Location, ETag, Idempotent-Replayed where they are sent).
 */
export function defineRoute<R extends RouteInput>(route: R & RouteFacts) {
  const { operationId, tag, access, location, bodyRequired, ...config } = route;
  const rateLimited = hasTrait(config.middleware, "rate_limited");
  const idempotent = hasTrait(config.middleware, "idempotent");
  const revalidatable = "304" in config.responses;
  const declared = config.responses as Record<string, ResponseEntry>;

  const standard = new Set<number>();
  const body = hasJsonBody(config);
  if (body || access !== "public") standard.add(400);
  if (access !== "public") standard.add(401);
  if (access === "admin") standard.add(403);
  if (config.request?.params) standard.add(404);
  if (idempotent) standard.add(409);
  if (body) standard.add(413).add(415);
  if (isValidated(config)) standard.add(422);
  if (rateLimited) standard.add(429);
  // Every operation reads or writes the database (or the edge cache in front of it), which may be unreachable or busy.
  standard.add(503);

  const headersFor = (status: string): HeadersObject => {
    const names: ComponentHeader[] = [];
    if (status === "401") names.push("WWW-Authenticate");
    if (status === "429" || status === "503") names.push("Retry-After");
    if (revalidatable && (status === "200" || status === "304")) names.push("ETag");
    if (idempotent && Number(status) < 500 && !NEVER_REPLAYED.has(status)) names.push("Idempotent-Replayed");
    const headers = responseHeaders(names, status);
    if (idempotent && status === "409") headers["Retry-After"] = IN_FLIGHT_RETRY_AFTER;
    if (location && status === "201") {
      headers.Location = {
        description: `The created resource: \`${location}\``,
        required: true,
        schema: { type: "string", format: "uri-reference", example: location.replace(/\{\w+\}/g, "abc123") },
      };
    }
    return headers;
  };

  /**
   * A standard problem answer, described for this operation: a reference to the shared component, or, where the
   * operation adds headers of its own (a replay marker), the component written out.
   */
  const standardProblem = (status: string, description?: string): ResponseEntry => {
    const problem = STANDARD_PROBLEMS[Number(status)] as StandardProblem;
    if (idempotent) return problemResponseObject(description ?? problem.description, headersFor(status));
    return { $ref: `#/components/responses/${problem.name}`, ...(description ? { description } : {}) };
  };

  const responses: Record<string, ResponseEntry> = {};
  for (const [status, response] of Object.entries(declared)) {
    if ("$ref" in response) responses[status] = response;
    else if (Number(status) in STANDARD_PROBLEMS && response.content?.[PROBLEM_CONTENT_TYPE]) {
      responses[status] = standardProblem(status, response.description);
    } else {
      if (response.headers && isZodObject(response.headers)) {
        throw new Error(`${config.method} ${config.path}: give response headers as a Headers Object`);
      }
      responses[status] = { ...response, headers: { ...headersFor(status), ...(response.headers as HeadersObject) } };
    }
  }
  for (const status of [...standard].sort()) {
    if (String(status) in responses) continue;
    responses[String(status)] = standardProblem(String(status), status === 401 ? UNAUTHORIZED[access] : undefined);
  }

  const notes = [
    config.description,
    ACCESS_NOTES[access],
    rateLimited ? "Rate-limited per client: over the limit, 429 with `Retry-After`." : undefined,
  ];
  // Typed as declared: handlers return the declared answers; the added ones are problems, thrown as ApiError.
  return createRoute({
    ...config,
    operationId,
    tags: [tag],
    security: SECURITY[access],
    description: notes.filter(Boolean).join("\n\n"),
    ...(revalidatable ? { parameters: [{ $ref: "#/components/parameters/IfNoneMatch" }] } : {}),
    ...(bodyRequired ? { [BODY_REQUIRED]: true } : {}),
    responses,
  } as unknown as R);
}

function isZodObject(value: unknown): boolean {
  return value instanceof z.ZodType;
}

/** Marks an operation whose body the document must call required (see `RouteFacts.bodyRequired`). */
export const BODY_REQUIRED = "x-body-required";

export { z };
