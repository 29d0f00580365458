import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { configureOpenApi } from "./lib/configure-openapi";
import { notFoundHandler, onError } from "./lib/errors";
import { createRouter } from "./lib/openapi";
import { accessLog } from "./middleware/access-log";
import { limitBodySize } from "./middleware/body-limit";
import { noStoreByDefault } from "./middleware/cache-control";
import { configuration } from "./middleware/config";
import { corsFromConfig } from "./middleware/cors";
import { httpsOnly } from "./middleware/https-only";
import { services } from "./middleware/services";
import { healthRouter } from "./routes/health/health.index";

export const API_CONTENT_SECURITY_POLICY = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/** The one app factory: middleware in order, then every resource router. */
export function createApp() {
  const app = createRouter();

  app.use(requestId({ headerName: "X-Request-ID", limitLength: 128 }));
  app.use(accessLog());
  app.use(
    secureHeaders({
      strictTransportSecurity: "max-age=31536000; includeSubDomains",
      referrerPolicy: "no-referrer",
      xFrameOptions: "DENY",
      contentSecurityPolicy: API_CONTENT_SECURITY_POLICY,
      overwrite: false,
    }),
  );
  app.use(noStoreByDefault());
  app.use(configuration());
  app.use(httpsOnly());
  app.use(corsFromConfig());
  app.use(limitBodySize());
  app.use(services());

  app.onError(onError);
  configureOpenApi(app);

  for (const router of [healthRouter]) {
    app.route("/", router);
  }

  app.notFound(notFoundHandler(app));
  return app;
}
