import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { configureOpenApi } from "./lib/configure-openapi";
import { notFoundHandler, onError } from "./lib/errors";
import { createRouter } from "./lib/openapi";
import { accessLog } from "./middleware/access-log";
import { requireAuth } from "./middleware/authenticate";
import { limitBodySize } from "./middleware/body-limit";
import { noStoreByDefault } from "./middleware/cache-control";
import { clientAddress } from "./middleware/client-ip";
import { configuration } from "./middleware/config";
import { corsFromConfig } from "./middleware/cors";
import { developmentOnly } from "./middleware/development-only";
import { httpsOnly } from "./middleware/https-only";
import { requireAdmin } from "./middleware/require-admin";
import { services } from "./middleware/services";
import { adminRouter } from "./routes/admin/admin.index";
import { adminAnalyticsRouter } from "./routes/admin-analytics/admin-analytics.index";
import { adminInventoryRouter } from "./routes/admin-inventory/admin-inventory.index";
import { adminOrdersRouter } from "./routes/admin-orders/admin-orders.index";
import { adminPaymentsRouter } from "./routes/admin-payments/admin-payments.index";
import { adminProductsRouter } from "./routes/admin-products/admin-products.index";
import { authRouter } from "./routes/auth/auth.index";
import { cartRouter } from "./routes/cart/cart.index";
import { devOutboxRouter } from "./routes/dev-outbox/dev-outbox.index";
import { devPaymentsRouter } from "./routes/dev-payments/dev-payments.index";
import { healthRouter } from "./routes/health/health.index";
import { ordersRouter } from "./routes/orders/orders.index";
import { productsRouter } from "./routes/products/products.index";
import { twoFactorRouter } from "./routes/two-factor/two-factor.index";
import { usersRouter } from "./routes/users/users.index";
import { webhooksRouter } from "./routes/webhooks/webhooks.index";
import { wishlistRouter } from "./routes/wishlist/wishlist.index";

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
  app.use(clientAddress());
  app.use(services());

  // Guards by path, before any router: a route added under these prefixes is protected without opting in,
  // and an unknown path there answers 401/403 rather than revealing what exists.
  app.use("/api/users/*", requireAuth());
  for (const prefix of [
    "/api/cart",
    "/api/cart/*",
    "/api/wishlist",
    "/api/wishlist/*",
    "/api/orders",
    "/api/orders/*",
  ]) {
    app.use(prefix, requireAuth());
  }
  // Development tools for the mock payment provider: 404 anywhere else, before authentication says anything.
  app.use("/api/dev/*", developmentOnly({ when: (variables) => variables.payments.name === "mock" }), requireAuth());
  app.use("/api/admin", requireAuth({ demotedAdmin: "forbid" }), requireAdmin());
  app.use("/api/admin/*", requireAuth({ demotedAdmin: "forbid" }), requireAdmin());

  app.onError(onError);
  configureOpenApi(app);

  const routers = [
    healthRouter,
    authRouter,
    usersRouter,
    twoFactorRouter,
    productsRouter,
    cartRouter,
    wishlistRouter,
    ordersRouter,
    adminRouter,
    adminProductsRouter,
    adminInventoryRouter,
    adminOrdersRouter,
    adminAnalyticsRouter,
    adminPaymentsRouter,
    webhooksRouter,
    devOutboxRouter,
    devPaymentsRouter,
  ];
  for (const router of routers) app.route("/", router);

  app.notFound(notFoundHandler(app));
  return app;
}
