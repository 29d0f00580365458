import { etag, RETAINED_304_HEADERS } from "hono/etag";

/**
 * Headers a 304 keeps besides hono's defaults (Cache-Control, ETag, Vary, …): hono's `etag()` drops every other
 * header, which would take away the request id every answer carries and, for a browser's explicit If-None-Match,
 * the CORS headers that let the page read the answer.
 */
const KEPT_ON_NOT_MODIFIED = [
  ...RETAINED_304_HEADERS,
  "x-request-id",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-expose-headers",
];

/** ETag on a 200 and 304 for a matching If-None-Match, keeping the headers every answer of this API carries. */
export function conditionalGet() {
  return etag({ retainedHeaders: KEPT_ON_NOT_MODIFIED });
}
