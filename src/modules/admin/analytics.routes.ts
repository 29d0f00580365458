import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";

const isoInstant = z.iso.datetime({ offset: true }).or(z.iso.date());

const SalesQuerySchema = z
  .object({
    from: isoInstant.optional().openapi({ description: "Inclusive; default 30 days ago" }),
    to: isoInstant.optional().openapi({ description: "Exclusive; default now" }),
    period: z.enum(["day", "week", "month"]).default("day"),
  })
  .refine((query) => !query.from || !query.to || new Date(query.from) < new Date(query.to), {
    path: ["to"],
    message: "must be after from",
  });

const SalesSchema = z
  .object({
    currency: z.string(),
    period: z.enum(["day", "week", "month"]),
    from: z.string(),
    to: z.string(),
    data: z.array(
      z.object({
        period_start: z.string().openapi({ description: "Day, Monday of the week, or first day of the month (UTC)" }),
        orders: z.number().int().openapi({ description: "Orders paid in the period (in any later status)" }),
        gross_amount: z.number().int(),
        refunded_amount: z.number().int(),
        net_amount: z.number().int(),
      }),
    ),
  })
  .openapi("SalesReport");

const TopProductsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  by: z
    .enum(["product", "variant"])
    .default("product")
    .openapi({ description: "`variant`: one row per variant (size, colour…) instead of per product" }),
});

const TopProductsSchema = z
  .object({
    days: z.number().int(),
    data: z.array(
      z.object({
        product_id: z.string(),
        variant_id: z.string().nullable().openapi({ description: "With `by=variant`; null otherwise" }),
        name: z.string(),
        variant_title: z.string().nullable().openapi({ description: "With `by=variant`: the title when last sold" }),
        sku: z.string().nullable().openapi({ description: "With `by=variant`: the sku when last sold" }),
        units: z.number().int(),
        revenue_amount: z.number().int(),
      }),
    ),
  })
  .openapi("TopProducts");

const invalidQuery = { 422: problemContent("Invalid query") };

export const sales = defineRoute({
  operationId: "adminGetSales",
  tag: "Admin: analytics",
  access: "admin",
  method: "get",
  path: "/api/admin/analytics/sales",
  summary: "Paid orders and revenue per day, week or month, refunds subtracted",
  request: { query: SalesQuerySchema },
  responses: { 200: jsonContent(SalesSchema, "The report"), ...invalidQuery },
});

export const topProducts = defineRoute({
  operationId: "adminListTopProducts",
  tag: "Admin: analytics",
  access: "admin",
  method: "get",
  path: "/api/admin/analytics/top-products",
  summary: "Best-selling products (or variants) over the last days",
  request: { query: TopProductsQuerySchema },
  responses: { 200: jsonContent(TopProductsSchema, "By units sold"), ...invalidQuery },
});

export type SalesRoute = typeof sales;
export type TopProductsRoute = typeof topProducts;
