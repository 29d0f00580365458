import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";

const HealthSchema = z.object({ status: z.literal("ok") }).openapi("Health");

export const health = defineRoute({
  operationId: "getHealth",
  tag: "System",
  access: "public",
  method: "get",
  path: "/health",
  summary: "Service and database health",
  description: "Runs a trivial query against the database.",
  responses: {
    200: jsonContent(HealthSchema, "The API and its database are reachable"),
    503: problemContent("The database is unreachable"),
  },
});

export type HealthRoute = typeof health;
