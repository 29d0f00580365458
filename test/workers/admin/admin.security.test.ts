import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { auditEvents } from "../../../src/schema";
import { signedInAdmin, signedInUser, testClient, testDb } from "../support/accounts";

function adminRoutes() {
  const routes = createApp()
    .routes.filter((route) => route.method !== "ALL" && route.path.startsWith("/api/admin"))
    .map((route) => ({ method: route.method, path: route.path.replace(/:(\w+)/g, "usr_doesnotmatter") }));
  return [...new Map(routes.map((route) => [`${route.method} ${route.path}`, route])).values()];
}

describe("the admin guard covers every /api/admin route", () => {
  it("there are admin routes to check", () => {
    expect(adminRoutes().length).toBeGreaterThanOrEqual(4);
  });

  it("without a token: 401", async () => {
    const client = testClient();
    for (const { method, path } of [...adminRoutes(), { method: "GET", path: "/api/admin/not-a-route" }]) {
      const response = await client.fetch(path, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it("with a user's token: 403 insufficient_scope, and the attempt is audited", async () => {
    const user = await signedInUser();
    for (const { method, path } of [...adminRoutes(), { method: "GET", path: "/api/admin/not-a-route" }]) {
      const response = await user.client.fetch(path, {
        method,
        token: user.tokens.access_token,
        headers: { "content-type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api", error="insufficient_scope"');
    }
    const denied = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "admin.access_denied"), eq(auditEvents.actorId, user.id)));
    expect(denied.length).toBe(adminRoutes().length + 1);
  });

  it("with an admin's token: allowed", async () => {
    const admin = await signedInAdmin();
    const response = await admin.client.fetch("/api/admin/users", { token: admin.tokens.access_token });
    expect(response.status).toBe(200);
  });
});
