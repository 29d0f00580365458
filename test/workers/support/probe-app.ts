import { createApp } from "../../../src/app";
import { createRouter, defineRoute, jsonBody, jsonContent, z } from "../../../src/platform/http/openapi";

export const LEAKY_ERROR_MESSAGE = "SELECT password_hash FROM users WHERE email = 'x' -- hunter2";

const probeRoute = defineRoute({
  operationId: "probe",
  tag: "System",
  access: "public",
  method: "post",
  path: "/api/probe",
  request: {
    body: jsonBody(z.strictObject({ name: z.string().min(1), quantity: z.number().int().min(1).max(50) })),
  },
  responses: { 200: jsonContent(z.object({ ok: z.boolean() }), "Accepted") },
});

/**
 * The real app from the factory plus probe routes, so the shared
 * mechanisms (validation hook, body limit, onError) are exercised exactly as
 * every resource route will use them.
 */
export function createProbeApp() {
  const app = createApp();
  const probe = createRouter()
    .openapi(probeRoute, (c) => c.json({ ok: true }, 200))
    .get("/api/probe/crash", () => {
      throw new Error(LEAKY_ERROR_MESSAGE);
    })
    // Under a prefix whose session is checked with the first read, a handler that never checks.
    .get("/api/cart/probe-unchecked", (c) => c.json({ ok: true }, 200));
  app.route("/", probe);
  return app;
}
