/**
 * RFC 9457 problem details: the one error class of the API and the one place
 * that turns it into a response.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
const PROBLEM_TYPE_PREFIX = "urn:edge-commerce:problem:";

/**
 * Every problem `type` the API sends, `urn:edge-commerce:problem:<code>`, with what it means. ApiError takes only
 * these codes, and the OpenAPI document enumerates them (the Problem schema's `type`, and a table): a new kind of
 * problem is listed here or does not compile.
 */
export const PROBLEM_TYPES = {
  malformed_request: "The body is not well-formed (malformed JSON or form data).",
  bad_request: "The request is not acceptable at the protocol level.",
  invalid_request: "The `Authorization` header is malformed.",
  invalid_event: "A webhook body that is not a JSON event.",
  invalid_signature: "A webhook without a valid, current `Stripe-Signature`.",
  invalid_reset_token: "The password reset token is unknown, spent or expired.",
  invalid_verification_token: "The email verification token is unknown, spent or expired, or the email changed since.",
  unauthorized: "No credentials were sent where they are required.",
  invalid_token: "The access token is invalid, expired or revoked.",
  invalid_cart_token: "The `Cart-Token` is malformed, unknown or expired.",
  invalid_credentials: "Wrong username or password, unknown user, or deactivated account (indistinguishable).",
  invalid_grant: "The refresh token is invalid, expired, revoked or already used.",
  mfa_required: "The account uses two-factor authentication: send `otp` or `recovery_code`.",
  mfa_invalid: "The two-factor code is incorrect or was already used.",
  forbidden: "The request is refused.",
  insufficient_scope: "The signed-in user may not do this (not an admin, or a demoted admin).",
  admin_2fa_required: "Admin routes need two-factor authentication on, and a session signed in with a second factor.",
  email_not_verified: "The action needs a verified email address.",
  https_required: "The request came over plain HTTP where HTTPS is required.",
  invalid_current_password: "The current password is wrong.",
  invalid_code: "The two-factor or recovery code is wrong.",
  not_found: "No such resource (or none of yours), or no route for the path.",
  discount_not_found: "No such discount code.",
  method_not_allowed: "The path exists, but not for this method; `Allow` lists the methods it has.",
  account_conflict: "The email or username cannot be used.",
  already_verified: "The email address is already verified.",
  cannot_modify_self: "An admin cannot demote or deactivate themself.",
  cart_full: "The cart has as many lines as it may hold.",
  insufficient_stock: "Not enough is available; `available` says how many.",
  product_unavailable: "The product or variant is no longer for sale.",
  options_changed: "The product's options changed meanwhile: read it and try again.",
  options_fixed: "Options cannot be added or removed once a product has variants.",
  option_value_in_use: "A variant still uses the option value.",
  variant_exists: "A variant with these option values exists.",
  variant_limit: "A product has at most 100 variants.",
  last_variant: "A product keeps at least one variant.",
  sku_conflict: "Another variant has this SKU.",
  slug_conflict: "Another product or category has this slug.",
  category_cycle: "The category would become its own ancestor.",
  category_has_children: "The category has subcategories.",
  category_not_empty: "Products are in the category.",
  category_too_deep: "Categories nest at most 5 deep.",
  below_reserved: "On hand cannot go below the units reserved.",
  code_in_use: "Orders have used this discount code: its text can no longer change.",
  code_taken: "Another discount code has this code.",
  discount_expired: "The discount code has expired.",
  discount_not_started: "The discount code is not valid yet.",
  discount_limit_reached: "The discount code has been used as often as it may be.",
  discount_customer_limit_reached: "This customer has used the discount code as often as they may.",
  discount_minimum_not_met: "The cart is below the discount code's minimum subtotal.",
  discount_not_applicable: "The discount code applies to nothing in the cart.",
  fallback_zone_exists: "Another shipping zone is already the fallback.",
  country_in_other_zone: "The country is in another shipping zone (`country`, `zone_id`, `zone_name`).",
  zone_has_methods: "The shipping zone still has methods.",
  tax_rate_exists: "A tax rate for this country and region exists.",
  two_factor_enabled: "Two-factor authentication is already on.",
  two_factor_not_enabled: "Two-factor authentication is off.",
  two_factor_setup_required: "Start two-factor setup first.",
  invalid_transition: "The order cannot move from its status to the one asked for.",
  refund_required: "A paid order is cancelled by refunding it.",
  refund_conflict: "Another refund of the order was requested at the same time.",
  event_not_replayable: "The payment event was processed, or is being processed.",
  no_mock_payment: "The order has no mock payment.",
  cart_changed: "A variant was deleted, taken off sale or repriced during the checkout.",
  open_order_exists: "The shopper has an order awaiting payment (`order_id`).",
  idempotency_key_in_flight:
    "A request with this `Idempotency-Key` is still being processed; retry after `Retry-After`.",
  link_expired: "The order link has expired; a newer email about the order has a fresh one.",
  payload_too_large: "The request body is larger than the API accepts.",
  unsupported_media_type: "The request body's media type is not one the operation accepts.",
  validation_error: "Fields of the request are invalid; `errors` lists each with its path.",
  variant_required: "The product has several variants for sale: name one (`variants` lists them).",
  cart_empty: "The cart has nothing to check out.",
  destination_required: "Say which country the cart goes to.",
  shipping_method_unavailable: "The shipping method does not serve the destination.",
  tax_region_unknown: "The region is not one of the country's.",
  idempotency_key_reused: "The `Idempotency-Key` was used with a different request.",
  refund_exceeds_payment: "The refund is more than what is left to refund (`refundable_amount`).",
  refund_rejected: "The payment provider refused the refund.",
  restock_requires_full_refund: "`restock` goes with a full refund only.",
  payment_rejected: "The payment provider refused the payment.",
  rate_limited: "Too many requests from this client; retry after `Retry-After`.",
  login_backoff: "Too many failed sign-ins for this account; retry after `Retry-After`.",
  reset_backoff: "Too many reset requests for this address; retry after `Retry-After`.",
  reauthentication_backoff: "Too many wrong passwords or codes; retry after `Retry-After`.",
  internal_error: "An unexpected error; nothing internal is disclosed.",
  configuration_error: "The deployment lacks configuration the operation needs.",
  payment_provider_error: "The payment provider failed; nothing was charged or refunded.",
  database_unavailable: "The database is unreachable; retry after `Retry-After`.",
  database_busy: "The database is busy; nothing was changed by the refused step. Retry after `Retry-After`.",
} as const;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** The `type` URI of a problem code. */
export function problemType(code: ProblemCode): string {
  return `${PROBLEM_TYPE_PREFIX}${code}`;
}

/**
 * The code of a stored problem sent again exactly as it was first sent (an idempotent replay, `verbatimBody`): its
 * own `type` is the one in that body, so this code never reaches a client.
 */
export const REPLAYED_PROBLEM = "replayed";

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
    readonly code: ProblemCode | typeof REPLAYED_PROBLEM,
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
