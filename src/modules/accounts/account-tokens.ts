/**
 * Single-use tokens sent by email: 32 random bytes, stored only as SHA-256,
 * spent atomically, and superseded by the next one of the same purpose.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../../platform/db/client";
import { base64Url, randomBytes } from "../../platform/encoding";
import { type AccountTokenPurpose, accountTokens } from "./tables/account-tokens";
import { hashToken } from "./tokens";

export async function issueAccountToken(
  db: Database,
  input: { userId: string; purpose: AccountTokenPurpose; email: string; ttlMs: number },
) {
  const token = base64Url(randomBytes(32));
  const now = Date.now();
  const at = new Date(now).toISOString();
  const statements = [
    db
      .update(accountTokens)
      .set({ usedAt: at })
      .where(
        and(
          eq(accountTokens.userId, input.userId),
          eq(accountTokens.purpose, input.purpose),
          isNull(accountTokens.usedAt),
        ),
      ),
    db.insert(accountTokens).values({
      tokenHash: await hashToken(token),
      userId: input.userId,
      purpose: input.purpose,
      email: input.email,
      createdAt: at,
      expiresAt: new Date(now + input.ttlMs).toISOString(),
    }),
  ] as const;
  return { token, statements };
}

/** Spends the token if it is of this purpose, unspent and unexpired; one statement, so it can be spent only once. */
export async function consumeAccountToken(db: Database, token: string, purpose: AccountTokenPurpose) {
  const now = new Date().toISOString();
  const [spent] = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.tokenHash, await hashToken(token)),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .returning();
  return spent;
}

/**
 * Voids every unspent token of the user: what a reset or verification link was sent for (a password, an
 * address) has changed, so no link sent before may act on the account.
 */
export function voidAccountTokensStatement(db: Database, userId: string) {
  return db
    .update(accountTokens)
    .set({ usedAt: new Date().toISOString() })
    .where(and(eq(accountTokens.userId, userId), isNull(accountTokens.usedAt)));
}
