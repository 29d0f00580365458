import { desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { ApiError } from "../../platform/http/problem";
import type { AppBindings, AppRouteHandler } from "../../platform/http/types";
import { productVariants } from "../catalog";
import type { ChangeInventoryRoute, GetInventoryRoute } from "./admin-inventory.routes";
import type { StockLevel } from "./product-stock";
import { inventoryMovements } from "./tables";

const RECENT_MOVEMENTS = 50;

function toLevel(level: StockLevel) {
  return {
    variant_id: level.variantId,
    on_hand: level.onHand,
    reserved: level.reserved,
    available: level.available,
    version: level.version,
  };
}

async function assertVariantExists(c: Context<AppBindings>, id: string): Promise<void> {
  const [variant] = await c.var.db
    .select({ id: productVariants.id })
    .from(productVariants)
    .where(eq(productVariants.id, id))
    .limit(1);
  if (!variant) throw new ApiError(404, "not_found", "No such variant.");
}

export const getInventory: AppRouteHandler<GetInventoryRoute> = async (c) => {
  const { id } = c.req.valid("param");
  await assertVariantExists(c, id);
  const stock = c.var.stock.of(id);
  // Bring the ledger up to date first, so the movements explain the level shown.
  const level = await stock.syncMirror();
  const [reservations, movements] = await Promise.all([
    stock.activeReservations(),
    c.var.db
      .select()
      .from(inventoryMovements)
      .where(eq(inventoryMovements.variantId, id))
      .orderBy(desc(inventoryMovements.version))
      .limit(RECENT_MOVEMENTS),
  ]);
  return c.json(
    {
      level: toLevel(level),
      reservations: reservations.map((reservation) => ({
        order_id: reservation.orderId,
        quantity: reservation.quantity,
        expires_at: new Date(reservation.expiresAt).toISOString(),
      })),
      movements: movements.map((movement) => ({
        id: movement.id,
        version: movement.version,
        reason: movement.reason,
        on_hand_delta: movement.onHandDelta,
        reserved_delta: movement.reservedDelta,
        order_id: movement.orderId,
        actor_id: movement.actorId,
        note: movement.note,
        at: movement.at,
      })),
    },
    200,
  );
};

export const changeInventory: AppRouteHandler<ChangeInventoryRoute> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const { auth, audit } = c.var;
  await assertVariantExists(c, id);
  const stock = c.var.stock.of(id);
  const outcome =
    body.set !== undefined
      ? await stock.set(body.set, body.reason, auth.user.id)
      : await stock.adjust(body.adjust ?? 0, body.reason, auth.user.id);
  if (!outcome.ok) {
    throw new ApiError(409, "below_reserved", `On hand cannot go below the ${outcome.level.reserved} units reserved.`, {
      extensions: { reserved: outcome.level.reserved, on_hand: outcome.level.onHand },
    });
  }
  await audit.record({
    action: "inventory.changed",
    actorId: auth.user.id,
    targetType: "variant",
    targetId: id,
    details: { set: body.set ?? null, adjust: body.adjust ?? null, reason: body.reason, on_hand: outcome.level.onHand },
  });
  return c.json(toLevel(await stock.syncMirror()), 200);
};
