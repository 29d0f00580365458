/**
 * A storefront's whole shopper flow through the typed client, twice: a guest (the main path: a cart token, an email
 * at checkout) and a shopper who registers and signs in. Each picks a variant in stock, fills a cart, reads the
 * shipping options for the destination, sets the cheapest, checks out with an Idempotency-Key, pays with the
 * development mock provider (`ENVIRONMENT=development`, no Stripe key: what `npm run dev` runs), and the signed-in
 * shopper then polls the order until it is paid. Any answer other than the expected one throws.
 *
 * `storefront-cli.ts` runs it against a running API; the suite runs it against the Worker in workerd
 * (test/workers/client/storefront-example.happy.test.ts).
 */
import {
  type ApiClient,
  type ApiClientOptions,
  cartTokenOf,
  createApiClient,
  expectData,
  idempotencyKey,
  type Schemas,
} from "@edge-commerce/client";

type Order = Schemas["Order"];
type CheckoutResult = Schemas["CheckoutResult"];

export interface StorefrontOptions {
  /** The API's origin, e.g. http://localhost:8787. */
  baseUrl: string;
  /** Instead of the global fetch (a test passes the Worker's). */
  fetch?: ApiClientOptions["fetch"];
  /** Told each step as it succeeds; silent by default. */
  log?: (line: string) => void;
  /** Only products this full-text search finds (the first one with a variant in stock is bought). */
  search?: string;
  /** Where the orders ship (ISO 3166-1 alpha-2). */
  country?: string;
  /** Units of the variant in each order. */
  quantity?: number;
  /** How often, and how long, to read the order while its payment is processed. */
  pollIntervalMs?: number;
  timeoutMs?: number;
}

export interface StorefrontRun {
  product: Schemas["Product"];
  variant: Schemas["Variant"];
  /** The guest's order as checkout answered it (awaiting payment; its payment was then driven to success). */
  guestOrder: CheckoutResult;
  /** The signed-in shopper's order, once paid. */
  accountOrder: Order;
}

interface Shop {
  options: Required<Omit<StorefrontOptions, "fetch" | "search">> & Pick<StorefrontOptions, "fetch" | "search">;
  client(credentials?: Pick<ApiClientOptions, "accessToken" | "cartToken">): ApiClient;
}

/** Order statuses from which an unpaid order never becomes paid on its own. */
const GIVEN_UP: readonly Order["status"][] = ["rejected", "cancelled", "expired", "payment_failed"];

function randomHex(length: number): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, length);
}

/** The first product the search finds with a variant that has `needed` units available (advisory: checkout reserves). */
async function pickVariant(shop: Shop, needed: number): Promise<Pick<StorefrontRun, "product" | "variant">> {
  const client = shop.client();
  const { search } = shop.options;
  const page = await expectData(
    "list the products in stock",
    client.GET("/api/products", { params: { query: { in_stock: "true", limit: 20, q: search } } }),
    [200],
  );
  for (const summary of page.data) {
    const product = await expectData(
      `read product ${summary.id}`,
      client.GET("/api/products/{id}", { params: { path: { id: summary.id } } }),
      [200],
    );
    const variant = product.variants.find((candidate) => candidate.stock_available >= needed);
    if (variant) return { product, variant };
  }
  throw new Error(`no product${search ? ` matching "${search}"` : ""} has a variant with ${needed} units available`);
}

/** Fills the client's cart with the variant, ships it by the cheapest method, checks out and pays (mock). */
async function buy(
  shop: Shop,
  client: ApiClient,
  variant: Schemas["Variant"],
  email: string | undefined,
): Promise<CheckoutResult> {
  const { country, quantity, log } = shop.options;
  const cart = await expectData(
    "add to cart",
    client.POST("/api/cart/items", { body: { variant_id: variant.id, quantity } }),
    [200, 201],
  );
  log(`  cart: ${cart.item_count} item(s), subtotal ${cart.subtotal_amount} ${cart.currency}`);

  const options = await expectData(
    "read the shipping options",
    client.GET("/api/cart/shipping-options", { params: { query: { country } } }),
    [200],
  );
  const [cheapest] = options.data.toSorted((left, right) => left.amount - right.amount);
  if (!cheapest) throw new Error(`no shipping method ships to ${country}`);
  log(
    `  shipping options for ${country}: ${options.data.map((option) => `${option.name} ${option.amount}`).join(", ")}`,
  );

  const priced = await expectData(
    "set the shipping method",
    client.PUT("/api/cart/shipping", { body: { country, shipping_method_id: cheapest.id } }),
    [200],
  );
  if (priced.shipping_method?.id !== cheapest.id) {
    throw new Error(`the cart ships by ${priced.shipping_method?.id ?? "nothing"}, not ${cheapest.id}`);
  }
  log(`  shipping by ${cheapest.name}: total ${priced.total_amount} ${priced.currency}`);

  const order = await expectData(
    "check out",
    client.POST("/api/orders", {
      params: { header: { "idempotency-key": idempotencyKey() } },
      body: {
        shipping_address: {
          name: "Ada Lovelace",
          line1: "12 St James's Square",
          city: "London",
          postal_code: "SW1Y 4JH",
          country,
        },
        shipping_method_id: cheapest.id,
        ...(email === undefined ? {} : { email }),
      },
    }),
    [201],
  );
  if (order.status !== "awaiting_payment")
    throw new Error(`order ${order.id} is ${order.status}, not awaiting_payment`);
  if (order.total_amount !== priced.total_amount) {
    throw new Error(`order ${order.id} charges ${order.total_amount}, the cart said ${priced.total_amount}`);
  }
  log(`  order ${order.id}: ${order.status}, ${order.total_amount} ${order.currency} (${order.payment.provider})`);

  const payment = await expectData(
    "pay (development mock provider)",
    client.POST("/api/dev/payments/{order_id}/{outcome}", {
      params: { path: { order_id: order.id, outcome: "succeed" } },
    }),
    [202],
  );
  log(`  payment: ${payment.type} queued as ${payment.event_id}`);
  return order;
}

/** Reads the order until its payment has been processed; throws if it ends unpaid or takes too long. */
async function untilPaid(shop: Shop, client: ApiClient, orderId: string): Promise<Order> {
  const { pollIntervalMs, timeoutMs } = shop.options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await expectData(
      "read the order",
      client.GET("/api/orders/{id}", { params: { path: { id: orderId } } }),
      [200],
    );
    if (order.status === "paid") return order;
    if (GIVEN_UP.includes(order.status)) throw new Error(`order ${orderId} ended ${order.status}`);
    if (Date.now() > deadline) throw new Error(`order ${orderId} still ${order.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function asGuest(shop: Shop, variant: Schemas["Variant"]): Promise<CheckoutResult> {
  const { log } = shop.options;
  const started = await shop.client().POST("/api/carts");
  await expectData("start a guest cart", started, [201]);
  const guest = shop.client({ cartToken: cartTokenOf(started.response) });
  log("guest: started a cart (Cart-Token)");
  const email = `guest-${randomHex(12)}@example.com`;
  const order = await buy(shop, guest, variant, email);
  // A guest has no account to read orders with: the confirmation email (sent once the payment is processed)
  // carries the order's signed link, GET /api/order-links?token=….
  log(`guest: payment sent; the confirmation email to ${email} will carry the order's link`);
  return order;
}

async function asAccount(shop: Shop, variant: Schemas["Variant"]): Promise<Order> {
  const { log } = shop.options;
  const username = `shopper${randomHex(12)}`;
  const password = `Corr3ct horse ${randomHex(16)}`;
  const user = await expectData(
    "register",
    shop.client().POST("/api/auth/register", { body: { email: `${username}@example.com`, username, password } }),
    [201],
  );
  const tokens = await expectData(
    "sign in",
    shop.client().POST("/api/auth/login", { body: { username, password } }),
    [200],
  );
  log(`account: registered ${user.username} and signed in`);
  const account = shop.client({ accessToken: tokens.access_token });
  const placed = await buy(shop, account, variant, undefined);
  const paid = await untilPaid(shop, account, placed.id);
  log(`account: order ${paid.id} is ${paid.status}`);
  return paid;
}

/** Runs both shoppers' flows; resolves to what they bought, or throws at the first unexpected answer. */
export async function runStorefront(options: StorefrontOptions): Promise<StorefrontRun> {
  const shop: Shop = {
    options: {
      ...options,
      country: options.country ?? "GB",
      quantity: options.quantity ?? 1,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      timeoutMs: options.timeoutMs ?? 15_000,
      log: options.log ?? (() => {}),
    },
    client: (credentials = {}) => createApiClient({ baseUrl: options.baseUrl, fetch: options.fetch, ...credentials }),
  };
  const { log, quantity } = shop.options;
  const { product, variant } = await pickVariant(shop, quantity * 2);
  log(`picked ${product.name} / ${variant.title} (${variant.id}, ${variant.stock_available} available)`);
  const guestOrder = await asGuest(shop, variant);
  const accountOrder = await asAccount(shop, variant);
  return { product, variant, guestOrder, accountOrder };
}
