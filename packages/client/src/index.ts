/**
 * A typed client for the Edge Commerce API: openapi-fetch over the types generated from the Worker's own OpenAPI
 * document (`npm run client:generate`), so every path, parameter, body and answer is checked by the compiler.
 * `data` is typed from the operation's 2xx answers and `error` from its documented problem answers.
 */
import createOpenApiClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths };

/** Every schema the document names, e.g. `Schemas["Cart"]`. */
export type Schemas = components["schemas"];

/** An RFC 9457 problem: what every error answer of the API carries (`application/problem+json`). */
export type Problem = Schemas["Problem"];

/** The client for this API: `client.GET("/api/cart")`, `client.POST("/api/orders", { … })`, … */
export type ApiClient = Client<paths>;

/** The header that carries a guest cart's token, both ways (POST /api/carts answers it; /api/cart/* reads it). */
export const CART_TOKEN_HEADER = "Cart-Token";

/** A credential given as it is, or read afresh for every request (after a token refresh, say). */
export type Credential = string | (() => string | undefined | Promise<string | undefined>);

export interface ApiClientOptions {
  /** The API's origin, e.g. `https://api.example.com` or `http://localhost:8787` (`npm run dev`). */
  baseUrl: string;
  /** Instead of the global `fetch`: a test's, a proxy's, a framework's. */
  fetch?: (request: Request) => Promise<Response>;
  /** Sent as `Authorization: Bearer …` with every request. */
  accessToken?: Credential;
  /** A guest cart's token, sent as `Cart-Token` with every request. With an access token as well, the account wins. */
  cartToken?: Credential;
}

async function resolve(credential: Credential | undefined): Promise<string | undefined> {
  return typeof credential === "function" ? credential() : credential;
}

/** Sets the client's credentials on each request, unless the call set that header itself. */
function credentials(options: ApiClientOptions): Middleware {
  return {
    async onRequest({ request }) {
      const accessToken = await resolve(options.accessToken);
      if (accessToken !== undefined && !request.headers.has("Authorization")) {
        request.headers.set("Authorization", `Bearer ${accessToken}`);
      }
      const cartToken = await resolve(options.cartToken);
      if (cartToken !== undefined && !request.headers.has(CART_TOKEN_HEADER)) {
        request.headers.set(CART_TOKEN_HEADER, cartToken);
      }
      return request;
    },
  };
}

/** A client for the API at `baseUrl`, with this client's credentials (if any) on every request. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createOpenApiClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  client.use(credentials(options));
  return client;
}

/**
 * A fresh `Idempotency-Key` for one checkout (or refund) attempt. Keep it for the attempt's retries: the same key
 * and body answer the first result for 24 hours, so a retried checkout never makes a second order.
 */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/** The guest cart token that `POST /api/carts` answers in its `Cart-Token` header (shown once: keep it). */
export function cartTokenOf(response: Response): string {
  const token = response.headers.get(CART_TOKEN_HEADER);
  if (!token) throw new Error(`the answer (${response.status}) carries no ${CART_TOKEN_HEADER} header`);
  return token;
}

/** An answer the caller did not expect: its status, and the problem the API gave (when it gave one). */
export class ApiProblemError extends Error {
  override readonly name = "ApiProblemError";

  constructor(
    readonly status: number,
    readonly problem: unknown,
    what: string,
  ) {
    super(`${what}: ${status}${describe(problem)}`);
  }
}

function describe(problem: unknown): string {
  if (typeof problem !== "object" || problem === null) return problem === undefined ? "" : ` ${String(problem)}`;
  const fields = ["type", "detail", "request_id"]
    .filter((field) => field in problem)
    .map((field) => `${field}=${JSON.stringify(Reflect.get(problem, field))}`);
  return fields.length > 0 ? ` (${fields.join(", ")})` : ` ${JSON.stringify(problem)}`;
}

/** What an openapi-fetch call resolves to: typed `data` on a 2xx answer, typed `error` otherwise. */
interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The 2xx member of an openapi-fetch answer (its other member has no `data`). */
type Success<Answer> = Extract<Answer, { data: unknown; error?: never }>;

/** openapi-fetch answers `data` exactly when the status is 2xx (`response.ok`), and `error` otherwise. */
function succeeded<Answer extends Outcome>(outcome: Answer): outcome is Success<Answer> {
  return outcome.response.ok;
}

/**
 * The answer's `data`, if its status is one of `expected` (any 2xx by default); else throws an `ApiProblemError`
 * that names the call: `const cart = await expectData("add to cart", client.POST("/api/cart/items", …))`.
 */
export async function expectData<Answer extends Outcome>(
  what: string,
  call: Answer | Promise<Answer>,
  expected?: readonly number[],
): Promise<Success<Answer>["data"]> {
  const outcome = await call;
  const { status } = outcome.response;
  if (!succeeded(outcome) || (expected !== undefined && !expected.includes(status))) {
    throw new ApiProblemError(status, outcome.error, what);
  }
  return outcome.data;
}
