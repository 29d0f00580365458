import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../problem";
import type { AppBindings } from "../types";

/** Refuses request bodies over `MAX_BODY_BYTES` (by Content-Length, or while streaming when there is none). */
export function limitBodySize() {
  return createMiddleware<AppBindings>(async (c, next) => {
    const maxSize = c.var.config.maxBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `The request body exceeds ${maxSize} bytes.`);
      },
    })(c, next);
  });
}
