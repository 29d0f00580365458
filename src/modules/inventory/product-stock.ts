/**
 * One Durable Object per variant (stock-keeping unit) holds that variant's
 * authoritative stock and serializes every change to it. It is addressed by
 * the variant's id; the class keeps its deployed name, ProductStock (renaming
 * a Durable Object class takes a migration of its own), and its storage names
 * the variant `product_id` for the same reason. Each operation reads and writes its SQLite
 * storage with no `await` in between, so the input gate makes it atomic; the
 * output gate holds the answer until the writes are durable. Operations are
 * keyed by order id and idempotent: a replay returns the first answer and
 * changes nothing. An alarm expires lapsed reservations, so an abandoned
 * checkout always gives its stock back. The level and every movement are then
 * shipped to the database (mirror + ledger), retried until they land.
 */
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../../platform/config";
import { createDb } from "../../platform/db/client";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { initialStockOf, type Movement, shipToDatabase } from "./ledger";
import type { MovementReason } from "./tables";

export type ReservationState = "reserved" | "committed" | "released" | "expired" | "refused" | "restocked" | "unknown";

export interface StockLevel {
  variantId: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
  /** The version the database mirror has confirmed. */
  mirroredVersion: number;
}

export interface ReservationOutcome {
  ok: boolean;
  state: ReservationState;
  quantity: number;
  /** Available after this operation (for a refusal: what was available). */
  available: number;
  expiresAt: number | null;
}

export interface ActiveReservation {
  orderId: string;
  quantity: number;
  expiresAt: number;
}

export type AdjustOutcome = { ok: true; level: StockLevel } | { ok: false; error: "below_reserved"; level: StockLevel };

const MIRROR_RETRY_MS = 5_000;

/** States in which a reservation was granted (whatever happened to it since). */
const GRANTED: ReadonlySet<ReservationState> = new Set(["reserved", "committed", "released", "expired", "restocked"]);
/** States in which the reserved stock was sold. */
const SOLD: ReadonlySet<ReservationState> = new Set(["committed", "restocked"]);
/** States in which the reserved stock went back to available. */
const GIVEN_BACK: ReadonlySet<ReservationState> = new Set(["released", "expired"]);

type StockRow = { product_id: string; on_hand: number; reserved: number; version: number; mirrored_version: number };
type ReservationRow = { order_id: string; quantity: number; expires_at: number };
type SettledRow = { order_id: string; outcome: ReservationState; quantity: number };

export class ProductStock extends DurableObject<Env> {
  #flushing: Promise<void> | undefined;
  #flushAgain = false;
  #starting: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Loading state only (synchronous SQLite): the schema. The starting stock
    // comes from the database on first use, outside blockConcurrencyWhile, so
    // a slow database never holds the object's gate.
    ctx.blockConcurrencyWhile(async () => this.#createSchema());
  }

  async level(): Promise<StockLevel> {
    await this.#started();
    this.#expireDue(Date.now());
    return this.#level();
  }

  activeReservations(): ActiveReservation[] {
    return this.#sql<ReservationRow>("SELECT order_id, quantity, expires_at FROM reservations ORDER BY expires_at").map(
      (row) => ({ orderId: row.order_id, quantity: row.quantity, expiresAt: row.expires_at }),
    );
  }

  async reserve(orderId: string, quantity: number, ttlSeconds: number): Promise<ReservationOutcome> {
    assertPositiveInteger(quantity, "quantity");
    assertPositiveInteger(ttlSeconds, "ttlSeconds");
    await this.#started();
    // From here to the writes there is no await: the check and the write are one step.
    const now = Date.now();
    this.#expireDue(now);
    const replay = this.#answerFor(orderId, GRANTED);
    if (replay) return replay;

    const stock = this.#stock();
    const available = stock.on_hand - stock.reserved;
    if (quantity > available) {
      this.#settle(orderId, "refused", quantity);
      return { ok: false, state: "refused", quantity, available, expiresAt: null };
    }
    const expiresAt = now + ttlSeconds * 1000;
    this.ctx.storage.sql.exec(
      "INSERT INTO reservations (order_id, quantity, expires_at) VALUES (?, ?, ?)",
      orderId,
      quantity,
      expiresAt,
    );
    this.#move("reserve", { reservedDelta: quantity, orderId });
    await this.#armAlarm(expiresAt);
    this.#mirrorSoon();
    return { ok: true, state: "reserved", quantity, available: available - quantity, expiresAt };
  }

  /** The reservation becomes a sale: on hand and reserved both drop by its quantity. */
  async commit(orderId: string): Promise<ReservationOutcome> {
    await this.#started();
    this.#expireDue(Date.now());
    const reservation = this.#reservation(orderId);
    if (!reservation) return this.#answerFor(orderId, SOLD) ?? this.#unknown();
    this.ctx.storage.sql.exec("DELETE FROM reservations WHERE order_id = ?", orderId);
    this.#settle(orderId, "committed", reservation.quantity);
    this.#move("commit", { onHandDelta: -reservation.quantity, reservedDelta: -reservation.quantity, orderId });
    this.#mirrorSoon();
    return this.#outcome("committed", reservation.quantity, true);
  }

  async release(orderId: string): Promise<ReservationOutcome> {
    await this.#started();
    this.#expireDue(Date.now());
    const reservation = this.#reservation(orderId);
    if (!reservation) return this.#answerFor(orderId, GIVEN_BACK) ?? this.#unknown();
    this.#drop(reservation, "released", "release");
    this.#mirrorSoon();
    return this.#outcome("released", reservation.quantity, true);
  }

  /** Puts a committed sale back on hand (refund or return), once per order. */
  async restock(orderId: string): Promise<ReservationOutcome> {
    await this.#started();
    const settled = this.#settled(orderId);
    if (settled?.outcome === "restocked") return this.#outcome("restocked", settled.quantity, true);
    if (settled?.outcome !== "committed")
      return settled ? this.#outcome(settled.outcome, settled.quantity, false) : this.#unknown();
    this.#settle(orderId, "restocked", settled.quantity);
    this.#move("restock", { onHandDelta: settled.quantity, orderId });
    this.#mirrorSoon();
    return this.#outcome("restocked", settled.quantity, true);
  }

  /** Admin correction of the on-hand count; never below what is reserved. */
  async adjust(delta: number, note: string, actorId: string): Promise<AdjustOutcome> {
    assertInteger(delta, "delta");
    await this.#started();
    return this.#changeOnHand(this.#stock().on_hand + delta, "adjust", note, actorId);
  }

  async set(onHand: number, note: string, actorId: string): Promise<AdjustOutcome> {
    assertInteger(onHand, "onHand");
    await this.#started();
    return this.#changeOnHand(onHand, "set", note, actorId);
  }

  /** Waits until the database mirror and ledger have everything up to now. */
  async syncMirror(): Promise<StockLevel> {
    await this.#started();
    await this.#flush();
    return this.#level();
  }

  override async alarm(): Promise<void> {
    await this.#started();
    const now = Date.now();
    this.#expireDue(now);
    const next =
      this.#sql<{ next: number | null }>("SELECT min(expires_at) AS next FROM reservations")[0]?.next ?? null;
    if (next !== null) await this.ctx.storage.setAlarm(next);
    try {
      await this.#flush();
    } catch (error) {
      this.#logger().warn("stock_mirror_failed", { error });
      await this.#armAlarm(now + MIRROR_RETRY_MS);
    }
  }

  #createSchema(): void {
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS stock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      product_id TEXT NOT NULL,
      on_hand INTEGER NOT NULL CHECK (on_hand >= 0),
      reserved INTEGER NOT NULL CHECK (reserved >= 0 AND reserved <= on_hand),
      version INTEGER NOT NULL,
      mirrored_version INTEGER NOT NULL DEFAULT 0
    )`);
    sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      order_id TEXT PRIMARY KEY, quantity INTEGER NOT NULL, expires_at INTEGER NOT NULL
    )`);
    sql.exec(`CREATE TABLE IF NOT EXISTS settled (
      order_id TEXT PRIMARY KEY, outcome TEXT NOT NULL, quantity INTEGER NOT NULL, at INTEGER NOT NULL
    )`);
    sql.exec(`CREATE TABLE IF NOT EXISTS movements (
      version INTEGER PRIMARY KEY, id TEXT NOT NULL, reason TEXT NOT NULL,
      on_hand_delta INTEGER NOT NULL, reserved_delta INTEGER NOT NULL,
      order_id TEXT, actor_id TEXT, note TEXT, at TEXT NOT NULL, shipped INTEGER NOT NULL DEFAULT 0
    )`);
  }

  #hasStock(): boolean {
    return this.#sql("SELECT 1 FROM stock").length > 0;
  }

  /**
   * The first time the variant is touched, its stock starts from the
   * variant's `initial_stock` in the database. Concurrent first calls share
   * one fetch, and the row is written only if still absent after it.
   */
  async #started(): Promise<void> {
    if (this.#hasStock()) return;
    this.#starting ??= (async () => {
      const variantId = this.ctx.id.name;
      if (!variantId) throw new Error("ProductStock must be addressed by variant id (getByName)");
      const initial = await initialStockOf(this.#db(), variantId);
      if (this.#hasStock()) return;
      this.ctx.storage.sql.exec(
        "INSERT INTO stock (id, product_id, on_hand, reserved, version) VALUES (1, ?, 0, 0, 0)",
        variantId,
      );
      this.#move("initial", { onHandDelta: initial });
      this.#mirrorSoon();
    })().finally(() => {
      this.#starting = undefined;
    });
    await this.#starting;
  }

  #sql<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: SqlStorageValue[]): T[] {
    return this.ctx.storage.sql.exec<T>(query, ...bindings).toArray();
  }

  #stock(): StockRow {
    const row = this.#sql<StockRow>("SELECT product_id, on_hand, reserved, version, mirrored_version FROM stock")[0];
    if (!row) throw new Error("stock row missing");
    return row;
  }

  #level(): StockLevel {
    const stock = this.#stock();
    return {
      variantId: stock.product_id,
      onHand: stock.on_hand,
      reserved: stock.reserved,
      available: stock.on_hand - stock.reserved,
      version: stock.version,
      mirroredVersion: stock.mirrored_version,
    };
  }

  #reservation(orderId: string): ReservationRow | undefined {
    return this.#sql<ReservationRow>(
      "SELECT order_id, quantity, expires_at FROM reservations WHERE order_id = ?",
      orderId,
    )[0];
  }

  #settled(orderId: string): SettledRow | undefined {
    return this.#sql<SettledRow>("SELECT order_id, outcome, quantity FROM settled WHERE order_id = ?", orderId)[0];
  }

  /**
   * Where this order's reservation stands, if it has one: what makes every
   * operation replayable. `ok` says whether that state is what the operation
   * asking wanted (a repeated commit is fine; a commit after expiry is not).
   */
  #answerFor(orderId: string, wanted: ReadonlySet<ReservationState>): ReservationOutcome | undefined {
    const reservation = this.#reservation(orderId);
    if (reservation) {
      return {
        ...this.#outcome("reserved", reservation.quantity, wanted.has("reserved")),
        expiresAt: reservation.expires_at,
      };
    }
    const settled = this.#settled(orderId);
    if (!settled) return undefined;
    return this.#outcome(settled.outcome, settled.quantity, wanted.has(settled.outcome));
  }

  #outcome(state: ReservationState, quantity: number, ok: boolean): ReservationOutcome {
    const stock = this.#stock();
    return { ok, state, quantity, available: stock.on_hand - stock.reserved, expiresAt: null };
  }

  #unknown(): ReservationOutcome {
    return this.#outcome("unknown", 0, false);
  }

  #settle(orderId: string, outcome: ReservationState, quantity: number): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO settled (order_id, outcome, quantity, at) VALUES (?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET outcome = excluded.outcome, at = excluded.at",
      orderId,
      outcome,
      quantity,
      Date.now(),
    );
  }

  #drop(reservation: ReservationRow, outcome: "released" | "expired", reason: MovementReason): void {
    this.ctx.storage.sql.exec("DELETE FROM reservations WHERE order_id = ?", reservation.order_id);
    this.#settle(reservation.order_id, outcome, reservation.quantity);
    this.#move(reason, { reservedDelta: -reservation.quantity, orderId: reservation.order_id });
  }

  /** Expires every lapsed reservation now, so no operation sees stock held by an abandoned checkout. */
  #expireDue(now: number): void {
    const due = this.#sql<ReservationRow>(
      "SELECT order_id, quantity, expires_at FROM reservations WHERE expires_at <= ?",
      now,
    );
    for (const reservation of due) this.#drop(reservation, "expired", "expire");
    if (due.length > 0) this.#mirrorSoon();
  }

  #changeOnHand(onHand: number, reason: "adjust" | "set", note: string, actorId: string): AdjustOutcome {
    this.#expireDue(Date.now());
    const stock = this.#stock();
    if (onHand < stock.reserved || onHand < 0) return { ok: false, error: "below_reserved", level: this.#level() };
    if (onHand !== stock.on_hand) {
      this.#move(reason, { onHandDelta: onHand - stock.on_hand, actorId, note });
      this.#mirrorSoon();
    }
    return { ok: true, level: this.#level() };
  }

  /** Applies a movement to the counters and records it, in the same synchronous step. */
  #move(
    reason: MovementReason,
    change: { onHandDelta?: number; reservedDelta?: number; orderId?: string; actorId?: string; note?: string },
  ): void {
    const onHandDelta = change.onHandDelta ?? 0;
    const reservedDelta = change.reservedDelta ?? 0;
    const version = this.#stock().version + 1;
    this.ctx.storage.sql.exec(
      "UPDATE stock SET on_hand = on_hand + ?, reserved = reserved + ?, version = ?",
      onHandDelta,
      reservedDelta,
      version,
    );
    this.ctx.storage.sql.exec(
      "INSERT INTO movements (version, id, reason, on_hand_delta, reserved_delta, order_id, actor_id, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      version,
      newId("mov"),
      reason,
      onHandDelta,
      reservedDelta,
      change.orderId ?? null,
      change.actorId ?? null,
      change.note ?? null,
      new Date().toISOString(),
    );
  }

  async #armAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Starts shipping to the database without holding the caller; a failure leaves an alarm to retry. */
  #mirrorSoon(): void {
    this.ctx.waitUntil(
      this.#flush().catch(async (error: unknown) => {
        this.#logger().warn("stock_mirror_failed", { error });
        await this.#armAlarm(Date.now() + MIRROR_RETRY_MS);
      }),
    );
  }

  /** One flush at a time; a request during a flush makes it run once more, so nothing is left behind. */
  #flush(): Promise<void> {
    if (this.#flushing) {
      this.#flushAgain = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      do {
        this.#flushAgain = false;
        const stock = this.#stock();
        if (stock.mirrored_version >= stock.version) continue;
        const movements = this.#sql<Record<string, SqlStorageValue>>(
          "SELECT version, id, reason, on_hand_delta, reserved_delta, order_id, actor_id, note, at FROM movements WHERE shipped = 0 AND version <= ? ORDER BY version",
          stock.version,
        ).map(toMovement);
        await shipToDatabase(this.#db(), stock.product_id, movements, {
          available: stock.on_hand - stock.reserved,
          version: stock.version,
        });
        this.ctx.storage.sql.exec("UPDATE movements SET shipped = 1 WHERE version <= ?", stock.version);
        this.ctx.storage.sql.exec("UPDATE stock SET mirrored_version = max(mirrored_version, ?)", stock.version);
      } while (this.#flushAgain);
    })().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  #db() {
    const config = loadConfig(this.env);
    if (!config.ok)
      throw new Error(`configuration error: ${config.problems.map((problem) => problem.variable).join(", ")}`);
    return createDb(config.config.database);
  }

  #logger() {
    return createLogger({ component: "product_stock", variant_id: this.ctx.id.name });
  }
}

function toMovement(row: Record<string, SqlStorageValue>): Movement {
  return {
    version: Number(row.version),
    id: String(row.id),
    reason: String(row.reason) as MovementReason,
    onHandDelta: Number(row.on_hand_delta),
    reservedDelta: Number(row.reserved_delta),
    orderId: row.order_id === null ? null : String(row.order_id),
    actorId: row.actor_id === null ? null : String(row.actor_id),
    note: row.note === null ? null : String(row.note),
    at: String(row.at),
  };
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer`);
}

function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
}
