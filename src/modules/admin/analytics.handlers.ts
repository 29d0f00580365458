import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { AppRouteHandler } from "../../platform/http/types";
import { type OrderStatus, orderItems, orders } from "../orders";
import type { SalesRoute, TopProductsRoute } from "./analytics.routes";

/** An order counts as a sale once paid, whatever happened to it after. */
const SOLD: OrderStatus[] = ["paid", "processing", "shipped", "delivered", "partially_refunded", "refunded"];

const DAY_MS = 24 * 60 * 60 * 1000;

const BUCKETS = {
  day: sql<string>`substr(${orders.paidAt}, 1, 10)`,
  // SQLite: 'weekday 0' moves to the coming Sunday (or stays on one); six days back is that week's Monday.
  week: sql<string>`date(${orders.paidAt}, 'weekday 0', '-6 days')`,
  month: sql<string>`substr(${orders.paidAt}, 1, 7) || '-01'`,
} as const;

export const sales: AppRouteHandler<SalesRoute> = async (c) => {
  const query = c.req.valid("query");
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const bucket = BUCKETS[query.period];
  const rows = await c.var.db
    .select({
      periodStart: bucket,
      orders: sql<number>`count(*)`,
      gross: sql<number>`coalesce(sum(${orders.totalAmount}), 0)`,
      refunded: sql<number>`coalesce(sum(${orders.refundedAmount}), 0)`,
    })
    .from(orders)
    .where(
      and(inArray(orders.status, SOLD), gte(orders.paidAt, from.toISOString()), lt(orders.paidAt, to.toISOString())),
    )
    .groupBy(bucket)
    .orderBy(bucket);
  return c.json(
    {
      currency: c.var.config.storeCurrency,
      period: query.period,
      from: from.toISOString(),
      to: to.toISOString(),
      data: rows.map((row) => ({
        period_start: row.periodStart,
        orders: Number(row.orders),
        gross_amount: Number(row.gross),
        refunded_amount: Number(row.refunded),
        net_amount: Number(row.gross) - Number(row.refunded),
      })),
    },
    200,
  );
};

export const topProducts: AppRouteHandler<TopProductsRoute> = async (c) => {
  const { days, limit, by } = c.req.valid("query");
  const since = new Date(Date.now() - days * DAY_MS).toISOString();
  const units = sql<number>`sum(${orderItems.quantity})`;
  const revenue = sql<number>`sum(${orderItems.lineAmount})`;
  const byVariant = by === "variant";
  const group = byVariant ? orderItems.variantId : orderItems.productId;
  const rows = await c.var.db
    .select({
      productId: sql<string>`max(${orderItems.productId})`,
      variantId: sql<string>`max(${orderItems.variantId})`,
      name: sql<string>`max(${orderItems.name})`,
      variantTitle: sql<string>`max(${orderItems.variantTitle})`,
      sku: sql<string>`max(${orderItems.sku})`,
      units,
      revenue,
    })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(and(inArray(orders.status, SOLD), gte(orders.paidAt, since)))
    .groupBy(group)
    .orderBy(desc(units), desc(revenue), group)
    .limit(limit);
  return c.json(
    {
      days,
      data: rows.map((row) => ({
        product_id: row.productId,
        variant_id: byVariant ? row.variantId : null,
        name: row.name,
        variant_title: byVariant ? row.variantTitle : null,
        sku: byVariant ? row.sku : null,
        units: Number(row.units),
        revenue_amount: Number(row.revenue),
      })),
    },
    200,
  );
};
