import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { CART_TOKEN_HEADER } from "../../../src/modules/cart";
import { cartTokenHash } from "../../../src/modules/cart/cart-token";
import type { CartSchema } from "../../../src/modules/cart/schemas";
import type { z } from "../../../src/platform/http/openapi";
import { carts } from "../../../src/schema";
import { type TestClient, testClient, testDb } from "./accounts";
import { callWorkerWith, type EnvOverrides } from "./worker";

/** The cart as the API answers it (a guest's carries `expires_at`). */
export type GuestCartView = z.infer<typeof CartSchema>;

export interface Guest {
  token: string;
  client: TestClient;
}

/** A guest cart started through the API, by a client of its own (rate limits are per client). */
export async function startGuestCart(client = testClient()): Promise<Guest & { cart: GuestCartView }> {
  const response = await client.fetch("/api/carts", { method: "POST" });
  expect(response.status, await response.clone().text()).toBe(201);
  const token = response.headers.get(CART_TOKEN_HEADER);
  if (!token) throw new Error("no cart token in the answer");
  return { token, client, cart: (await response.json()) as GuestCartView };
}

/** A request with the guest's cart token (or any token given), optionally with a JSON body and configuration. */
export function asGuest(
  guest: Guest,
  method: string,
  path: string,
  options: { body?: unknown; env?: EnvOverrides; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  headers.set(CART_TOKEN_HEADER, guest.token);
  headers.set("CF-Connecting-IP", guest.client.ip);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return callWorkerWith(options.env ?? {}, path, { method, headers, body });
}

/** Adds a product to the guest's cart and expects it taken. */
export async function guestAdds(guest: Guest, productId: string, quantity: number): Promise<GuestCartView> {
  const response = await asGuest(guest, "POST", "/api/cart/items", { body: { product_id: productId, quantity } });
  expect([200, 201], await response.clone().text()).toContain(response.status);
  return (await response.json()) as GuestCartView;
}

/** A guest cart as stored, found by the hash of its token. */
export async function guestCartRow(token: string) {
  const tokenHash = await cartTokenHash(token);
  if (!tokenHash) throw new Error("not a well-formed cart token");
  const [row] = await testDb().select().from(carts).where(eq(carts.tokenHash, tokenHash));
  return row;
}

export interface SignIn {
  access_token: string;
  cart_merged?: { lines: number };
}

/** Signs the account in from its own client, carrying `cartToken` in Cart-Token. */
export async function signInWithCart(
  account: { username: string; password: string; client: TestClient },
  cartToken: string,
  env: EnvOverrides = {},
): Promise<SignIn> {
  const response = await callWorkerWith(env, "/api/auth/login", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "CF-Connecting-IP": account.client.ip,
      [CART_TOKEN_HEADER]: cartToken,
    },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as SignIn;
}

/** The account's cart as the API shows it: product id → quantity, in line order. */
export async function accountCart(account: { client: TestClient }, accessToken: string): Promise<[string, number][]> {
  const response = await account.client.fetch("/api/cart", { token: accessToken });
  expect(response.status).toBe(200);
  return ((await response.json()) as GuestCartView).items.map((item) => [item.product_id, item.quantity]);
}
