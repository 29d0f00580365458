import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const MOVEMENT_REASONS = [
  "initial",
  "reserve",
  "commit",
  "release",
  "expire",
  "adjust",
  "set",
  "restock",
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

/**
 * Every stock movement, written by the variant's inventory Durable Object:
 * the sums of the deltas are its on-hand and reserved quantities.
 */
export const inventoryMovements = sqliteTable(
  "inventory_movements",
  {
    id: text("id").primaryKey(),
    variantId: text("variant_id").notNull(),
    /** The Durable Object's stock version after this movement. */
    version: integer("version").notNull(),
    reason: text("reason", { enum: MOVEMENT_REASONS }).notNull(),
    onHandDelta: integer("on_hand_delta").notNull(),
    reservedDelta: integer("reserved_delta").notNull(),
    orderId: text("order_id"),
    actorId: text("actor_id"),
    note: text("note"),
    at: text("at").notNull(),
  },
  (table) => [index("inventory_movements_variant_idx").on(table.variantId, table.version)],
);
