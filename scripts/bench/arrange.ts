/**
 * What the bench puts straight into the database: products, and shoppers
 * (user and session rows, and a cart line, with an access token signed as the
 * Worker signs them) or accounts with a real password for signing in.
 */
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { sign } from "hono/jwt";
import { hashPassword } from "../../src/modules/accounts/password.ts";
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../src/modules/accounts/tokens.ts";
import { variantTitle } from "../../src/modules/catalog/variants.ts";
import { newId } from "../../src/platform/ids.ts";
import { cartItems, carts, products, productVariants, sessions, users } from "../../src/schema.ts";
import { BENCH_ARGON2, JWT_SECRET } from "./stack.ts";

type Database = LibSQLDatabase;
const ROWS_PER_INSERT = 25;

function inChunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / ROWS_PER_INSERT) }, (_, index) =>
    items.slice(index * ROWS_PER_INSERT, (index + 1) * ROWS_PER_INSERT),
  );
}

/** Products of one default variant each, whose id is the product's (as migration 0009 made them): one id names both. */
export async function makeProducts(db: Database, count: number, stock: number): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, () => newId("prd"));
  for (const chunk of inChunks(ids)) {
    await db.batch([
      db
        .insert(products)
        .values(chunk.map((id) => ({ id, name: `Bench ${id}`, currency: "usd", createdAt: now, updatedAt: now }))),
      db.insert(productVariants).values(
        chunk.map((id) => ({
          id,
          productId: id,
          sku: id,
          title: variantTitle([]),
          optionValues: [],
          priceAmount: 1000,
          initialStock: stock,
          stockAvailable: stock,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    ]);
  }
  return ids;
}

function userRow(userId: string, passwordHash: string, now: string) {
  const name = userId.replace("usr_", "b");
  return {
    id: userId,
    email: `${name}@bench.test`,
    username: name,
    usernameKey: name,
    passwordHash,
    createdAt: now,
    updatedAt: now,
    emailVerifiedAt: now,
  };
}

async function signAccess(userId: string, sessionId: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return sign(
    {
      sub: userId,
      sid: sessionId,
      role: "user",
      iat,
      exp: iat + 3600,
      jti: newId("jti"),
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      typ: "access",
      amr: ["pwd"],
    },
    JWT_SECRET,
    "HS256",
  );
}

/** Signed-in shoppers with one cart line each (for `productFor(index)`), ready to check out. */
export async function makeShoppers(db: Database, productFor: (index: number) => string, count: number) {
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const made = Array.from({ length: count }, (_, index) => ({
    userId: newId("usr"),
    sessionId: newId("ses"),
    cartId: newId("crt"),
    productId: productFor(index),
  }));
  for (const chunk of inChunks(made)) {
    await db.batch([
      db.insert(users).values(chunk.map(({ userId }) => userRow(userId, "!", now))),
      db.insert(sessions).values(
        chunk.map(({ userId, sessionId }) => ({
          id: sessionId,
          userId,
          createdAt: now,
          lastUsedAt: now,
          expiresAt: later,
        })),
      ),
      db
        .insert(carts)
        .values(chunk.map(({ userId, cartId }) => ({ id: cartId, userId, createdAt: now, updatedAt: now }))),
      db.insert(cartItems).values(
        chunk.map(({ cartId, productId }) => ({
          id: newId("cit"),
          cartId,
          // The product's default variant has the product's id.
          variantId: productId,
          quantity: 1,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    ]);
  }
  return Promise.all(
    made.map(async ({ userId, sessionId }) => ({ userId, token: await signAccess(userId, sessionId) })),
  );
}

export const BENCH_PASSWORD = "bench visit password 7f3c";

/** Accounts that sign in with BENCH_PASSWORD (hashed at the Worker's configured cost, so sign-in never re-hashes). */
export async function makeAccounts(db: Database, count: number): Promise<{ email: string }[]> {
  const now = new Date().toISOString();
  const passwordHash = await hashPassword(BENCH_PASSWORD, BENCH_ARGON2);
  const rows = Array.from({ length: count }, () => userRow(newId("usr"), passwordHash, now));
  for (const chunk of inChunks(rows)) await db.insert(users).values(chunk);
  return rows.map(({ email }) => ({ email }));
}
