import packageJson from "../../../package.json" with { type: "json" };
import { SCALAR_BUNDLE } from "./scalar-bundle.generated";
import type { AppOpenAPI } from "./types";

/**
 * The docs page's CSP: `script-src` names the one script the page loads, on this origin (a path-specific source: no
 * other script of the origin's, let alone another host's), and its integrity attribute pins the bytes. Nothing
 * remote: the page asks Scalar not to load its web fonts (system fonts instead), and requests go to this API only.
 */
function docsContentSecurityPolicy(scriptUrl: string): string {
  return [
    "default-src 'none'",
    `script-src ${scriptUrl}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Scalar's API reference, served by this Worker's static assets (the npm package's file, copied by
 * scripts/docs/copy-docs-assets.ts); it reads /openapi.json from the `data-url` attribute, so the page needs no inline script.
 * Without JavaScript (<noscript>), or if the script cannot load, the page still links the document.
 */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Edge Commerce API reference</title>
  </head>
  <body>
    <noscript><p>The interactive reference needs JavaScript. The OpenAPI document: <a href="/openapi.json">/openapi.json</a>.</p></noscript>
    <script id="api-reference" data-url="/openapi.json" data-configuration='{"withDefaultFonts":false}'></script>
    <script src="${SCALAR_BUNDLE.path}" integrity="${SCALAR_BUNDLE.integrity}" crossorigin="anonymous"></script>
    <footer><a href="/openapi.json">OpenAPI document (JSON)</a></footer>
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
    c.header("Content-Security-Policy", docsContentSecurityPolicy(new URL(SCALAR_BUNDLE.path, c.req.url).href));
    return c.html(DOCS_PAGE);
  });
}
