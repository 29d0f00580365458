import { defineRoute, jsonBody, jsonContent, problemContent, z } from "../../platform/http/openapi";
import { VariantIdParams } from "../catalog";
import { MOVEMENT_REASONS } from "./tables";

const StockLevelSchema = z
  .object({
    variant_id: z.string(),
    on_hand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    version: z.number().int(),
  })
  .openapi("StockLevel");

const InventorySchema = z
  .object({
    level: StockLevelSchema,
    reservations: z.array(
      z.object({
        order_id: z.string(),
        quantity: z.number().int(),
        expires_at: z.string().openapi({ format: "date-time" }),
      }),
    ),
    movements: z.array(
      z.object({
        id: z.string(),
        version: z.number().int(),
        reason: z.enum(MOVEMENT_REASONS),
        on_hand_delta: z.number().int(),
        reserved_delta: z.number().int(),
        order_id: z.string().nullable(),
        actor_id: z.string().nullable(),
        note: z.string().nullable(),
        at: z.string().openapi({ format: "date-time" }),
      }),
    ),
  })
  .openapi("Inventory");

const ChangeInventorySchema = z
  .strictObject({
    set: z.number().int().min(0).max(1_000_000).optional().openapi({ description: "New on-hand count" }),
    adjust: z.number().int().min(-1_000_000).max(1_000_000).optional().openapi({ description: "Change to on hand" }),
    reason: z.string().trim().min(1).max(200),
  })
  .refine((body) => (body.set === undefined) !== (body.adjust === undefined), {
    message: "Give exactly one of set and adjust",
  })
  .openapi("ChangeInventoryRequest");

export const getInventory = defineRoute({
  operationId: "adminGetVariantInventory",
  tag: "Admin: inventory",
  access: "admin",
  method: "get",
  path: "/api/admin/variants/{id}/inventory",
  summary: "A variant's stock: level, active reservations, and the recent ledger",
  request: { params: VariantIdParams },
  responses: { 200: jsonContent(InventorySchema, "Inventory"), 404: problemContent("No such variant") },
});

export const changeInventory = defineRoute({
  operationId: "adminChangeVariantInventory",
  tag: "Admin: inventory",
  access: "admin",
  method: "post",
  path: "/api/admin/variants/{id}/inventory",
  summary: "Set or adjust the on-hand count (never below what is reserved)",
  request: { params: VariantIdParams, body: jsonBody(ChangeInventorySchema) },
  responses: {
    200: jsonContent(StockLevelSchema, "The new level"),
    404: problemContent("No such variant"),
    409: problemContent("Below the reserved quantity"),
    422: problemContent("Invalid input"),
  },
});

export type GetInventoryRoute = typeof getInventory;
export type ChangeInventoryRoute = typeof changeInventory;
