/**
 * The session check of an authenticated request, made in the same round trip as the request's first read: a
 * shopper on another continent than the database pays the distance once, and a logged-out, revoked, deactivated
 * or demoted token still stops at once, because nothing read with it is used before the check has passed.
 */
import { and, eq } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { Database } from "../../platform/db/client";
import { FirstRoundTrip } from "../../platform/db/first-round-trip";
import type { Logger } from "../../platform/logger";
import { invalidToken } from "./challenges";
import type { AuthContext } from "./context";
import { sessions } from "./tables/sessions";
import { users } from "./tables/users";
import type { AccessClaims } from "./tokens";

export type DemotedAdminPolicy = "forbid" | "reject";

type Batch = readonly [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];
type Results<T extends readonly BatchItem<"sqlite">[]> = T extends Batch ? BatchResponse<T> : [];

function sessionQuery(db: Database, claims: AccessClaims) {
  return db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub)))
    .limit(1);
}

type SessionUser = Awaited<ReturnType<typeof sessionQuery>>[number];

export class SessionGate {
  readonly riders = new FirstRoundTrip();
  #auth: AuthContext | undefined;

  constructor(
    private readonly db: Database,
    readonly claims: AccessClaims,
    private readonly options: { demotedAdmin: DemotedAdminPolicy; logger: Logger; now: () => Date },
  ) {}

  /** Whose token this is: for building the queries that ride with the check, never for deciding anything. */
  get userId(): string {
    return this.claims.sub;
  }

  get checked(): boolean {
    return this.#auth !== undefined;
  }

  /**
   * Checks the session with `queries` (and any riders) in one round trip, and returns their results only once
   * the session is usable; otherwise throws 401 (403 on admin routes for a demoted admin, by `demotedAdmin`).
   * Called again, it sends only `queries`.
   */
  async check<T extends readonly BatchItem<"sqlite">[]>(...queries: T): Promise<[AuthContext, ...Results<T>]> {
    if (this.#auth) {
      const results = queries.length > 0 ? await this.db.batch(queries as unknown as Batch) : [];
      return [this.#auth, ...(results as Results<T>)];
    }
    const riders = this.riders.depart();
    const session = sessionQuery(this.db, this.claims);
    const others = [...riders.map((rider) => rider.statement), ...queries];
    // Alone, the check is a plain query: a batch would wrap it in a transaction for nothing.
    const [found, ...rest]: unknown[] =
      others.length === 0 ? [await session] : await this.db.batch([session, ...others]);
    const riderResults = rest.slice(0, riders.length);
    let auth: AuthContext;
    try {
      auth = this.#judge((found as SessionUser[])[0]);
    } catch (refusal) {
      await Promise.all(riders.map((rider, index) => rider.settle(riderResults[index], false)));
      throw refusal;
    }
    // Checked before the riders settle: a rider may end the request (an idempotent replay), and it was admitted.
    this.#auth = auth;
    for (const [index, rider] of riders.entries()) await rider.settle(riderResults[index], true);
    return [auth, ...(rest.slice(riders.length) as Results<T>)];
  }

  #judge(found: SessionUser | undefined): AuthContext {
    const { logger, demotedAdmin, now } = this.options;
    const at = now().toISOString();
    const usable =
      found && !found.session.revokedAt && found.session.expiresAt > at && found.user.isActive && !found.user.deletedAt;
    if (!usable) {
      logger.info("access_token_rejected", { reason: "session or account no longer active", sid: this.claims.sid });
      throw invalidToken();
    }
    if (found.user.role !== this.claims.role) {
      const wasDemotedAdmin = this.claims.role === "admin" && found.user.role !== "admin";
      if (!(wasDemotedAdmin && demotedAdmin === "forbid")) {
        logger.info("access_token_rejected", { reason: "role changed", sid: this.claims.sid });
        throw invalidToken();
      }
    }
    return { user: found.user, session: found.session, claims: this.claims };
  }
}
