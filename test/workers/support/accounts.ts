import { eq } from "drizzle-orm";
import { expect, inject } from "vitest";
import { createDb } from "../../../src/db/client";
import { type Role, users } from "../../../src/db/schema";
import { callWorker } from "./worker";

/** Direct database access for arranging and inspecting state; the API is what the tests exercise. */
export function testDb() {
  return createDb({ url: inject("databaseUrl"), authToken: undefined });
}

export function unique(prefix = ""): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

/** A random client address: rate limits are per client, so tests never share a budget. */
export function randomIp(): string {
  const octet = () => Math.floor(Math.random() * 254) + 1;
  return `10.${octet()}.${octet()}.${octet()}`;
}

export interface TestClient {
  ip: string;
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  json(method: string, path: string, body: unknown, token?: string): Promise<Response>;
}

export function testClient(ip = randomIp()): TestClient {
  const fetchAs = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    headers.set("CF-Connecting-IP", ip);
    if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
    return callWorker(path, { ...init, headers });
  };
  return {
    ip,
    fetch: fetchAs,
    json: (method, path, body, token) =>
      fetchAs(path, {
        method,
        token,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  };
}

export interface TestAccount {
  id: string;
  email: string;
  username: string;
  password: string;
  client: TestClient;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export async function registerAccount(
  overrides: Partial<{ email: string; username: string; password: string; full_name: string }> = {},
): Promise<TestAccount> {
  const client = testClient();
  const name = unique("u");
  const body = {
    email: `${name}@shop.test`,
    username: name,
    password: `Corr3ct horse ${unique()}`,
    ...overrides,
  };
  const response = await client.json("POST", "/api/auth/register", body);
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as { id: string };
  return { id: created.id, email: body.email, username: body.username, password: body.password, client };
}

export async function login(account: TestAccount, client = account.client): Promise<Tokens> {
  const response = await client.json("POST", "/api/auth/login", {
    username: account.username,
    password: account.password,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Tokens;
}

export async function setRole(userId: string, role: Role): Promise<void> {
  await testDb().update(users).set({ role }).where(eq(users.id, userId));
}

/** A registered account made admin directly in the database (as `npm run create-admin` would), signed in. */
export async function signedInAdmin(): Promise<TestAccount & { tokens: Tokens }> {
  const account = await registerAccount();
  await setRole(account.id, "admin");
  return { ...account, tokens: await login(account) };
}

export async function signedInUser(): Promise<TestAccount & { tokens: Tokens }> {
  const account = await registerAccount();
  return { ...account, tokens: await login(account) };
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const [, payload = ""] = token.split(".");
  return JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
}
