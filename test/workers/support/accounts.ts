import { desc, eq, sql } from "drizzle-orm";
import { expect, inject } from "vitest";
import { base32Decode, stepAt, totpCode } from "../../../src/modules/accounts/totp";
import { createDb } from "../../../src/platform/db/client";
import { devOutbox, type Role, users } from "../../../src/schema";
import { callWorkerWith } from "./worker";

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
    // Through the fetch handler with an execution context whose background work (emails) is awaited.
    return callWorkerWith({}, path, { ...init, headers });
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
  /** Sign-in only. */
  device_token?: string;
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

/** The newest message the development outbox holds for this address. */
export async function latestEmail(to: string) {
  const [message] = await testDb()
    .select()
    .from(devOutbox)
    .where(eq(devOutbox.to, to.toLowerCase()))
    .orderBy(desc(devOutbox.at), sql`rowid desc`)
    .limit(1);
  return message;
}

/** The single-use token carried in the fragment of a link in the newest email to this address. */
export async function tokenFromLatestEmail(to: string): Promise<string> {
  const message = await latestEmail(to);
  const token = /#token=([\w-]+)/.exec(message?.text ?? "")?.[1];
  if (!token) throw new Error(`no token in the latest email to ${to}`);
  return token;
}

/** A TOTP code for this base32 secret, `offset` steps from now. */
export async function totpFor(secret: string, offset = 0): Promise<string> {
  return totpCode(base32Decode(secret), stepAt(Date.now()) + offset);
}

/** Enrols the account in 2FA (setup + enable with the current code); returns the secret and recovery codes. */
export async function enableTwoFactor(account: TestAccount, accessToken: string) {
  const setup = await account.client.fetch("/api/users/me/2fa/setup", { method: "POST", token: accessToken });
  expect(setup.status, await setup.clone().text()).toBe(200);
  const { secret } = (await setup.json()) as { secret: string };
  const enable = await account.client.json(
    "POST",
    "/api/users/me/2fa/enable",
    { code: await totpFor(secret), current_password: account.password },
    accessToken,
  );
  expect(enable.status, await enable.clone().text()).toBe(200);
  const { recovery_codes } = (await enable.json()) as { recovery_codes: string[] };
  return { secret, recoveryCodes: recovery_codes };
}

/**
 * Workers Rate Limiting counts in windows aligned to the wall clock (miniflare keys a bucket by
 * `floor(now / period)`), so a burst that straddles a boundary is counted in two windows. A test that counts
 * up to a per-client limit calls this first: it waits for the next window when less than `neededMs` is left.
 * Such a test needs a timeout above `neededMs` (`RATE_LIMIT_TEST_TIMEOUT`).
 */
export async function atStartOfRateLimitWindow(periodSeconds = 60, neededMs = 15_000): Promise<void> {
  const periodMs = periodSeconds * 1000;
  const left = periodMs - (Date.now() % periodMs);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

export const RATE_LIMIT_TEST_TIMEOUT = 45_000;
