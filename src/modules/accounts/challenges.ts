/**
 * RFC 6750 answers for bearer-token failures: the challenge says what went
 * wrong without saying more than the client needs.
 */
import { ApiError } from "../../platform/http/problem";

const REALM = "api";

/** No credentials at all: a bare challenge, no error code (RFC 6750 §3.1). */
export function missingCredentials(): ApiError {
  return new ApiError(401, "unauthorized", "Authentication is required.", {
    headers: { "WWW-Authenticate": `Bearer realm="${REALM}"` },
  });
}

export function invalidRequest(): ApiError {
  return new ApiError(400, "invalid_request", "The Authorization header is malformed.", {
    headers: { "WWW-Authenticate": `Bearer realm="${REALM}", error="invalid_request"` },
  });
}

export function invalidToken(): ApiError {
  return new ApiError(401, "invalid_token", "The access token is invalid, expired or revoked.", {
    headers: {
      "WWW-Authenticate": `Bearer realm="${REALM}", error="invalid_token", error_description="The access token is invalid, expired or revoked"`,
    },
  });
}

export function insufficientScope(): ApiError {
  return new ApiError(403, "insufficient_scope", "You are not allowed to do this.", {
    headers: { "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_scope"` },
  });
}
