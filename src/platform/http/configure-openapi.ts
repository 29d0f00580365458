import packageJson from "../../../package.json" with { type: "json" };
import type { AppOpenAPI } from "./types";

/** Scalar's API reference, pinned and integrity-checked; it reads /openapi.json from the `data-url` attribute, so the page needs no inline script. */
const SCALAR_SCRIPT = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.76.0/dist/browser/standalone.js";
const SCALAR_INTEGRITY = "sha384-oH1C0RwqcwbVXkC+r8A+4qRoyEUQdtxAzOwumkxZtQBBcsy61FOoPt7B50OVJYYQ";

/**
 * `script-src` names the one script URL (a path-specific source, not the CDN host, which serves every npm package
 * ever published); the integrity attribute pins its bytes.
 */
const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${SCALAR_SCRIPT}`,
  "style-src 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.scalar.com",
  "font-src https://fonts.scalar.com https://cdn.jsdelivr.net data:",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Edge Commerce API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script src="${SCALAR_SCRIPT}" integrity="${SCALAR_INTEGRITY}" crossorigin="anonymous"></script>
  </body>
</html>
`;

export function configureOpenApi(app: AppOpenAPI): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Edge Commerce API",
      version: packageJson.version,
      description:
        "E-commerce REST API on Cloudflare Workers: accounts, catalog, cart, checkout, orders and payments. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY);
    return c.html(DOCS_PAGE);
  });
}
