import packageJson from "../../../package.json" with { type: "json" };
import { API_TAGS, BODY_REQUIRED, registerRouteComponents } from "./openapi";
import { PROBLEM_TYPES } from "./problem";
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

const API_DESCRIPTION = `E-commerce REST API on Cloudflare Workers: accounts, catalog, cart, checkout, orders and payments.

Every answer of the API carries \`X-Request-ID\` (the client's own, or a new one). Every error is an RFC 9457 problem
(\`application/problem+json\`) whose \`type\` is \`urn:edge-commerce:problem:<code>\`. A method a documented path does
not list answers 405 \`method_not_allowed\` with an \`Allow\` header naming the methods it has.

| code | meaning |
| --- | --- |
${(Object.entries(PROBLEM_TYPES) as [string, string][]).map(([code, meaning]) => `| \`${code}\` | ${meaning.replaceAll("|", "\\|")} |`).join("\n")}`;

/** The LICENSE file's; a variable, as the generator's 3.0-era type lacks 3.1's `identifier` (an SPDX id). */
const LICENSE = { name: "MIT", identifier: "MIT" };

type OpenApiDocument = ReturnType<AppOpenAPI["getOpenAPI31Document"]>;

/** Turns the route-level marks `defineRoute` leaves into what the document says (see `RouteFacts.bodyRequired`). */
function finishDocument(document: OpenApiDocument): OpenApiDocument {
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem) as Record<string, unknown>[]) {
      if (operation === null || typeof operation !== "object" || !(BODY_REQUIRED in operation)) continue;
      delete operation[BODY_REQUIRED];
      const requestBody = operation.requestBody as { required?: boolean } | undefined;
      if (requestBody) requestBody.required = true;
    }
  }
  return document;
}

export function configureOpenApi(app: AppOpenAPI): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The `access_token` of POST /api/auth/login or /api/auth/refresh.",
  });
  registerRouteComponents(app.openAPIRegistry);
  app.get("/openapi.json", (c) => {
    const document = app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Edge Commerce API",
        version: packageJson.version,
        description: API_DESCRIPTION,
        license: LICENSE,
      },
      servers: [{ url: new URL(c.req.url).origin, description: "This deployment" }],
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
    });
    return c.json(finishDocument(document));
  });
  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", docsContentSecurityPolicy(new URL(SCALAR_BUNDLE.path, c.req.url).href));
    return c.html(DOCS_PAGE);
  });
}
