import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { requireAdmin, requireAuth } from "./modules/accounts";
import { adminUsersRouter } from "./modules/accounts/admin-users.index";
import { authRouter } from "./modules/accounts/auth.index";
import { twoFactorRouter } from "./modules/accounts/two-factor.index";
import { usersRouter } from "./modules/accounts/users.index";
import { adminAnalyticsRouter } from "./modules/admin/analytics.index";
import { auditEventsRouter } from "./modules/admin/audit-events.index";
import { CART_TOKEN_HEADER, cartAccess } from "./modules/cart";
import { cartRouter } from "./modules/cart/cart.index";
import { wishlistRouter } from "./modules/cart/wishlist.index";
import { adminCategoriesRouter } from "./modules/catalog/admin-categories.index";
import { adminProductsRouter } from "./modules/catalog/admin-products.index";
import { categoriesRouter } from "./modules/catalog/categories.index";
import { productsRouter } from "./modules/catalog/products.index";
import { adminDiscountCodesRouter } from "./modules/discounts/admin-discount-codes.index";
import { healthRouter } from "./modules/health/health.index";
import { adminInventoryRouter } from "./modules/inventory/admin-inventory.index";
import { adminOrdersRouter } from "./modules/orders/admin-orders.index";
import { orderLinksRouter } from "./modules/orders/order-links.index";
import { ordersRouter } from "./modules/orders/orders.index";
import { adminPaymentsRouter } from "./modules/payments/admin-payments.index";
import { devPaymentsRouter } from "./modules/payments/dev-payments.index";
import { webhooksRouter } from "./modules/payments/webhooks.index";
import { adminShippingRouter } from "./modules/shipping/admin-shipping.index";
import { adminTaxRatesRouter } from "./modules/tax/admin-tax-rates.index";
import { configureOpenApi } from "./platform/http/configure-openapi";
import { accessLog } from "./platform/http/middleware/access-log";
import { limitBodySize } from "./platform/http/middleware/body-limit";
import { noStoreByDefault } from "./platform/http/middleware/cache-control";
import { clientAddress } from "./platform/http/middleware/client-ip";
import { configuration } from "./platform/http/middleware/config";
import { corsFromConfig } from "./platform/http/middleware/cors";
import { developmentOnly } from "./platform/http/middleware/development-only";
import { httpsOnly } from "./platform/http/middleware/https-only";
import { notFoundHandler, onError } from "./platform/http/on-error";
import { createRouter } from "./platform/http/openapi";
import { devOutboxRouter } from "./platform/mail/dev-outbox.index";
import { services } from "./request-services";
import type { ServiceOverrides } from "./services";

const API_CONTENT_SECURITY_POLICY = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/** The one app factory: middleware in order, then every resource router. */
export function createApp(options: { overrides?: ServiceOverrides } = {}) {
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
  app.use(corsFromConfig({ tokenHeaders: [CART_TOKEN_HEADER] }));
  app.use(limitBodySize());
  app.use(clientAddress());
  app.use(services(options.overrides));

  // Guards by path, before any router: a route added under these prefixes is protected without opting in, and an
  // unknown path there answers 401/403 rather than revealing what exists (on the cart and order prefixes, where the
  // session is checked with the first read, a genuinely signed token of a revoked session meets the 404 first).
  app.use("/api/users/*", requireAuth());
  // A prefix's wildcard also matches the prefix itself (`/api/cart/*` guards `/api/cart`): one guard, one check.
  app.use("/api/wishlist/*", requireAuth());
  // The shopper's hot paths check the session in the same round trip as their first read. The cart also admits a
  // guest's cart token, as do checkout and the development pay route below: it opens nothing else.
  app.use("/api/cart/*", cartAccess());
  // Checkout (POST /api/orders) also admits a guest's cart token; every other order route needs an account.
  const checkoutAccess = cartAccess();
  const ordersAccess = requireAuth({ checkSession: "with_first_read" });
  app.use("/api/orders/*", (c, next) =>
    c.req.method === "POST" && c.req.path === "/api/orders" ? checkoutAccess(c, next) : ordersAccess(c, next),
  );
  // Development tools for the mock payment provider: 404 anywhere else, before authentication says anything.
  // A guest pays its order there with the cart token it checked out with, as a signed-in shopper with its token.
  app.use("/api/dev/*", developmentOnly({ when: (variables) => variables.payments.name === "mock" }), cartAccess());
  app.use("/api/admin", requireAuth({ demotedAdmin: "forbid" }), requireAdmin());
  app.use("/api/admin/*", requireAuth({ demotedAdmin: "forbid" }), requireAdmin());

  app.onError(onError);
  configureOpenApi(app);
  app.openAPIRegistry.registerComponent("securitySchemes", "cartToken", {
    type: "apiKey",
    in: "header",
    name: CART_TOKEN_HEADER,
    description: "A guest cart's secret token, from the `Cart-Token` header of POST /api/carts.",
  });

  const routers = [
    healthRouter,
    authRouter,
    usersRouter,
    twoFactorRouter,
    productsRouter,
    categoriesRouter,
    cartRouter,
    wishlistRouter,
    ordersRouter,
    orderLinksRouter,
    adminUsersRouter,
    auditEventsRouter,
    adminProductsRouter,
    adminCategoriesRouter,
    adminInventoryRouter,
    adminOrdersRouter,
    adminAnalyticsRouter,
    adminPaymentsRouter,
    adminDiscountCodesRouter,
    adminShippingRouter,
    adminTaxRatesRouter,
    webhooksRouter,
    devOutboxRouter,
    devPaymentsRouter,
  ];
  for (const router of routers) app.route("/", router);

  app.notFound(notFoundHandler(app));
  return app;
}
