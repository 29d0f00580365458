import { env } from "cloudflare:workers";
import { eq, inArray, sum } from "drizzle-orm";
import { expect } from "vitest";
import { signAccessToken } from "../../../src/modules/accounts/tokens";
import { loadConfig } from "../../../src/platform/config";
import { newId } from "../../../src/platform/ids";
import { inventoryMovements, orders, sessions, users } from "../../../src/schema";
import type { ServiceOverrides } from "../../../src/services";
import { randomIp, type TestAccount, type TestClient, type Tokens, testClient, testDb } from "./accounts";
import { callWorkerWith } from "./worker";

export const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 St James's Square",
  city: "London",
  postal_code: "SW1Y 4JH",
  country: "GB",
};

/** The free method migration 0010 gives every store (the fallback zone's "Standard"). */
export const STANDARD_SHIPPING = "shm_standard";

export interface Shopper {
  id: string;
  token: string;
  client: TestClient;
}

/**
 * Many signed-in shoppers at once, arranged directly in the database with
 * tokens signed by the Worker's own function: registering 200 accounts
 * through the API would only measure password hashing.
 */
export async function quickShoppers(count: number): Promise<Shopper[]> {
  const config = loadConfig(env);
  if (!config.ok) throw new Error("test configuration is invalid");
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const made = Array.from({ length: count }, () => {
    const id = newId("usr");
    const name = id.replace("usr_", "u");
    return { id, sessionId: newId("ses"), name };
  });
  const db = testDb();
  for (let start = 0; start < made.length; start += 50) {
    const chunk = made.slice(start, start + 50);
    await db.insert(users).values(
      chunk.map(({ id, name }) => ({
        id,
        email: `${name}@shop.test`,
        username: name,
        usernameKey: name,
        passwordHash: "!",
        createdAt: now,
        updatedAt: now,
        emailVerifiedAt: now,
      })),
    );
    await db.insert(sessions).values(
      chunk.map(({ id, sessionId }) => ({
        id: sessionId,
        userId: id,
        createdAt: now,
        lastUsedAt: now,
        expiresAt: later,
      })),
    );
  }
  return Promise.all(
    made.map(async ({ id, sessionId }) => {
      const { token } = await signAccessToken({ userId: id, sessionId, role: "user", amr: ["pwd"] }, config.config.jwt);
      return { id, token, client: testClient(randomIp()) };
    }),
  );
}

export function asShopper(account: TestAccount & { tokens: Tokens }): Shopper {
  return { id: account.id, token: account.tokens.access_token, client: account.client };
}

async function addLine(shopper: Shopper, line: { product_id: string } | { variant_id: string }, quantity: number) {
  const response = await shopper.client.json("POST", "/api/cart/items", { ...line, quantity }, shopper.token);
  expect([200, 201], await response.clone().text()).toContain(response.status);
}

/** Adds a product that has one variant for sale (the cart picks it). */
export function addToCart(shopper: Shopper, productId: string, quantity: number): Promise<void> {
  return addLine(shopper, { product_id: productId }, quantity);
}

export function addVariantToCart(shopper: Shopper, variantId: string, quantity: number): Promise<void> {
  return addLine(shopper, { variant_id: variantId }, quantity);
}

export function placeOrder(
  shopper: Shopper,
  key = crypto.randomUUID(),
  body: Record<string, unknown> = {
    shipping_address: ADDRESS,
    shipping_method_id: STANDARD_SHIPPING,
  },
) {
  return shopper.client.fetch("/api/orders", {
    method: "POST",
    token: shopper.token,
    headers: { "content-type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
  });
}

/** A checkout under a different configuration (e.g. a short reservation time), or with services replaced. */
export function placeOrderWith(
  overrides: Record<string, string>,
  shopper: Shopper,
  key = crypto.randomUUID(),
  services?: ServiceOverrides,
) {
  return callWorkerWith(
    overrides,
    "/api/orders",
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        Authorization: `Bearer ${shopper.token}`,
        "Idempotency-Key": key,
        "CF-Connecting-IP": shopper.client.ip,
      },
      body: JSON.stringify({
        shipping_address: ADDRESS,
        shipping_method_id: STANDARD_SHIPPING,
      }),
    },
    services,
  );
}

export function stockOf(variantId: string) {
  return env.PRODUCT_STOCK.getByName(variantId);
}

/** How many of these shoppers' orders are in each status. */
export async function orderStatusCounts(shoppers: Shopper[]): Promise<Partial<Record<string, number>>> {
  const rows = await testDb()
    .select({ status: orders.status })
    .from(orders)
    .where(
      inArray(
        orders.userId,
        shoppers.map((shopper) => shopper.id),
      ),
    );
  const counts: Partial<Record<string, number>> = {};
  for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** What the ledger in the database adds up to for a variant (it must equal the stock object's level). */
export async function ledgerTotals(variantId: string) {
  const [row] = await testDb()
    .select({ onHand: sum(inventoryMovements.onHandDelta), reserved: sum(inventoryMovements.reservedDelta) })
    .from(inventoryMovements)
    .where(eq(inventoryMovements.variantId, variantId));
  return { onHand: Number(row?.onHand ?? 0), reserved: Number(row?.reserved ?? 0) };
}

export interface OrderBody {
  id: string;
  status: string;
  items: {
    product_id: string;
    variant_id: string;
    variant_title: string;
    unit_price_amount: number;
    quantity: number;
    line_amount: number;
  }[];
  subtotal_amount: number;
  total_amount: number;
  currency: string;
  expires_at: string | null;
  events: { from: string | null; to: string; reason: string | null }[];
  payment?: { provider: string; intent_id: string; client_secret: string; status: string };
}

/** A placed order moved to `paid` directly in the database, as the payment flow will (at `paidAt`). */
export async function markPaid(orderId: string, paidAt = new Date(), variantIds: string[] = []): Promise<void> {
  await testDb().update(orders).set({ status: "paid", paidAt: paidAt.toISOString() }).where(eq(orders.id, orderId));
  for (const variantId of variantIds) await stockOf(variantId).commit(orderId);
}
